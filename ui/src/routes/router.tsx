import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from '../components/Layout';
import { ComparePage } from './ComparePage';
import { GenAiPage } from './GenAiPage';
import { NotFoundPage } from './NotFoundPage';
import { SearchPage } from './SearchPage';
import { ServiceMapPage } from './ServiceMapPage';
import { ServicePage } from './ServicePage';
import { ServicesPage } from './ServicesPage';
import { TracePage } from './TracePage';
import { TriagePage } from './TriagePage';

/**
 * Every page and its state live in the URL (path plus query parameters), so a link can be shared.
 * The server answers every non-API GET with index.html, so these paths load directly too.
 */
export const routes = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/search" replace /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'trace/:traceId', element: <TracePage /> },
      { path: 'map', element: <ServiceMapPage /> },
      { path: 'services', element: <ServicesPage /> },
      { path: 'services/:service', element: <ServicePage /> },
      { path: 'compare', element: <ComparePage /> },
      { path: 'triage', element: <TriagePage /> },
      { path: 'genai', element: <GenAiPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
