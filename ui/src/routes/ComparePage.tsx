// Placeholder: the ui-pages branch replaces this file with the real page.
export function ComparePage() {
  return (
    <section>
      <h1>Compare</h1>
      <p className="muted">Two traces side by side with their structural difference.</p>
    </section>
  );
}
