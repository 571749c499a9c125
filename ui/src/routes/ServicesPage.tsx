export { ServicesPage } from '../pages/services/ServicesPage';
