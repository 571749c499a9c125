// Placeholder: the ui-pages branch replaces this file with the real page.
export function ServicesPage() {
  return (
    <section>
      <h1>Services</h1>
      <p className="muted">Every service with its rate, errors and latency.</p>
    </section>
  );
}
