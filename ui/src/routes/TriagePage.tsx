export { TriagePage } from '../pages/triage/TriagePage';
