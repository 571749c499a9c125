export { ServicePage } from '../pages/service/ServicePage';
