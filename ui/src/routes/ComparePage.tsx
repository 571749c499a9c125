export { ComparePage } from '../pages/compare/ComparePage';
