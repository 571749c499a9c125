import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <section>
      <h1>No such page</h1>
      <p>
        Nothing here answers <span className="mono">{location.pathname}</span>. <Link to="/search">Search traces</Link>.
      </p>
    </section>
  );
}
