// Placeholder: the ui-pages branch replaces this file with the real page.
export function TriagePage() {
  return (
    <section>
      <h1>Triage</h1>
      <p className="muted">The attribute values that set a selection of spans apart from the baseline.</p>
    </section>
  );
}
