import { NavLink, Outlet } from 'react-router';

const pages: { to: string; label: string }[] = [
  { to: '/search', label: 'Search' },
  { to: '/map', label: 'Service map' },
  { to: '/services', label: 'Services' },
  { to: '/compare', label: 'Compare' },
  { to: '/triage', label: 'Triage' },
  { to: '/genai', label: 'GenAI' },
];

/** The frame of every page: the name, the navigation, and the page below. */
export function Layout() {
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/search" className="brand">
          Threadline
        </NavLink>
        <nav aria-label="Pages">
          {pages.map((page) => (
            <NavLink key={page.to} to={page.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
              {page.label}
            </NavLink>
          ))}
        </nav>
      </header>
      <main className="page">
        <Outlet />
      </main>
    </div>
  );
}
