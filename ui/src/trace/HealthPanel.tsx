import type { ApiState } from '../api/useApi';
import type { TraceHealthResponse } from '../api/types';

/** The trace's health findings in words, each with a button to show the spans it is about. */
export function HealthPanel({ health, onShowSpan }: { health: ApiState<TraceHealthResponse>; onShowSpan: (spanId: string) => void }) {
  if (health.status === 'loading') return null;
  if (health.status === 'error') {
    // Older servers have no /health route; the waterfall is still whole without it.
    return health.error.status === 404 ? null : <p className="muted">Trace health could not be checked: {health.error.message}</p>;
  }
  const { findings, skewAdjustments } = health.data;
  if (findings.length === 0 && skewAdjustments.length === 0) return <p className="health-ok muted">No problems found in this trace's structure.</p>;
  return (
    <section className="health" aria-label="Trace health">
      {findings.map((finding, i) => (
        <div key={i} className={`finding ${finding.severity}`}>
          <span className={`badge ${finding.severity}`}>{finding.severity}</span> <strong>{finding.title}</strong>
          <p>{finding.message}</p>
          {finding.spanIds.length > 0 && (
            <button type="button" onClick={() => onShowSpan(finding.spanIds[0]!)}>
              Show {finding.spanIds.length === 1 ? 'the span' : `the first of ${finding.spanIds.length} spans`}
            </button>
          )}
        </div>
      ))}
      {skewAdjustments.length > 0 && (
        <div className="finding info">
          <span className="badge">clock skew</span> <strong>{skewAdjustments.length} spans were shifted to fit inside their parents</strong> (marked ⇄ in the
          waterfall).
          <ul>
            {skewAdjustments.slice(0, 5).map((s) => (
              <li key={s.spanId}>
                <button type="button" className="link-button" onClick={() => onShowSpan(s.spanId)}>
                  {s.service}
                </button>{' '}
                {s.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
