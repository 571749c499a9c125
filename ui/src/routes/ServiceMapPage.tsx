export { ServiceMapPage } from '../pages/serviceMap/ServiceMapPage';
