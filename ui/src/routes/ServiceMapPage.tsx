// Placeholder: the ui-pages branch replaces this file with the real page.
export function ServiceMapPage() {
  return (
    <section>
      <h1>Service map</h1>
      <p className="muted">The service graph in layers, edges labelled with rate, error % and p95.</p>
    </section>
  );
}
