// Placeholder: the ui-pages branch replaces this file with the real page.
export function GenAiPage() {
  return (
    <section>
      <h1>GenAI</h1>
      <p className="muted">Model calls with tokens, latency and errors.</p>
    </section>
  );
}
