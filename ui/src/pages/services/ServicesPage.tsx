import { useState } from 'react';
import { Link } from 'react-router';
import { getServices } from '../../api/native';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { serviceColor } from '../../colors';

/** Every service the store has seen, each leading to its service page. */
export function ServicesPage() {
  const services = useApi('services', (signal) => getServices(signal));
  const [filter, setFilter] = useState('');
  return (
    <section>
      <h1>Services</h1>
      <div className="toolbar">
        <label className="field">
          Filter
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name contains…" />
        </label>
        <Link to="/map">Service map</Link>
      </div>
      {services.status === 'loading' && <Skeleton rows={6} label="Loading services" />}
      {services.status === 'error' && <ErrorPanel error={services.error} onRetry={services.retry} what="the services" />}
      {services.status === 'ok' && (
        <ul className="service-list">
          {services.data.services
            .filter((name) => name.toLowerCase().includes(filter.toLowerCase()))
            .map((name) => (
              <li key={name}>
                <span className="swatch" style={{ background: serviceColor(name) }} />
                <Link to={`/services/${encodeURIComponent(name)}`}>{name}</Link>
              </li>
            ))}
        </ul>
      )}
      {services.status === 'ok' && services.data.services.length === 0 && <p className="muted">No spans received yet.</p>}
    </section>
  );
}
