// Placeholder: the ui-pages branch replaces this file with the real page.
export function ServicePage() {
  return (
    <section>
      <h1>Service</h1>
      <p className="muted">Rate, errors and p50/p95/p99 over time, top operations, slowest and failing traces, naming health.</p>
    </section>
  );
}
