import { Link } from 'react-router';
import { getSpan } from '../api/native';
import { useApi } from '../api/useApi';
import type { OtlpKeyValue } from '../api/types';
import { ErrorPanel } from '../components/ErrorPanel';
import { Skeleton } from '../components/Skeleton';
import { serviceColor } from '../colors';
import { formatDuration, formatTimestamp } from '../format';
import { offsetFrom } from './criticalPath';
import { anyValueText, kindName, spansOf, statusName } from './otlp';

/** One span in full: status, attributes, resource, events on the span's own timeline, links to other traces. */
export function SpanDetail({
  traceId,
  spanId,
  criticalNanos,
  skewMessage,
  onClose,
}: {
  traceId: string;
  spanId: string;
  criticalNanos?: number;
  skewMessage?: string;
  onClose: () => void;
}) {
  const state = useApi(`${traceId}/${spanId}`, (signal) => getSpan(traceId, spanId, signal));
  return (
    <aside className="span-detail" aria-label="Span detail">
      <div className="detail-head">
        <strong>Span {spanId}</strong>
        <button type="button" onClick={onClose} aria-label="Close span detail">
          ✕
        </button>
      </div>
      {state.status === 'loading' && <Skeleton rows={8} label="Loading span" />}
      {state.status === 'error' && <ErrorPanel error={state.error} onRetry={state.retry} what="the span" />}
      {state.status === 'ok' &&
        spansOf(state.data).map((detail, k) => {
          const span = detail.span;
          const start = span.startTimeUnixNano ?? '0';
          const duration = Math.max(0, offsetFrom(start, span.endTimeUnixNano ?? start));
          const service = anyValueText(detail.resource.find((a) => a.key === 'service.name')?.value);
          const status = statusName(span.status?.code);
          return (
            <div key={k} className="detail-body">
              {k > 0 && <p className="warning">Another span with the same id (duplicate span id):</p>}
              <h2>{span.name}</h2>
              <p>
                <span className="swatch" style={{ background: serviceColor(service) }} />
                {service} · {kindName(span.kind)} · {formatDuration(duration)}
              </p>
              <table className="kv">
                <tbody>
                  <tr>
                    <th>Status</th>
                    <td className={status === 'error' ? 'error-text' : undefined}>
                      {status}
                      {span.status?.message ? `: ${span.status.message}` : ''}
                    </td>
                  </tr>
                  <tr>
                    <th>Start</th>
                    <td>{formatTimestamp(start)}</td>
                  </tr>
                  <tr>
                    <th>Parent</th>
                    <td className="mono">{span.parentSpanId || '(root)'}</td>
                  </tr>
                  {criticalNanos !== undefined && (
                    <tr>
                      <th>Critical path</th>
                      <td>{formatDuration(criticalNanos)} of this span's time is on the critical path</td>
                    </tr>
                  )}
                  {skewMessage && (
                    <tr>
                      <th>Clock skew</th>
                      <td>{skewMessage}</td>
                    </tr>
                  )}
                  {span.traceState && (
                    <tr>
                      <th>Trace state</th>
                      <td className="mono">{span.traceState}</td>
                    </tr>
                  )}
                  {detail.scope.name && (
                    <tr>
                      <th>Scope</th>
                      <td>
                        {detail.scope.name} {detail.scope.version}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
              <Attributes title="Attributes" attributes={span.attributes ?? []} dropped={span.droppedAttributesCount} />
              {(span.events?.length ?? 0) > 0 && (
                <>
                  <h3>Events</h3>
                  <div className="event-track" aria-label="Events on the span's timeline">
                    {span.events!.map((event, e) => {
                      const at = offsetFrom(start, event.timeUnixNano ?? start);
                      return <span key={e} className="event-mark" style={{ left: `${duration > 0 ? Math.min(100, Math.max(0, (at / duration) * 100)) : 0}%` }} title={`${event.name} at +${formatDuration(at)}`} />;
                    })}
                  </div>
                  {span.events!.map((event, e) => (
                    <div key={e} className="event">
                      <span className="muted">+{formatDuration(offsetFrom(start, event.timeUnixNano ?? start))}</span> <strong>{event.name}</strong>
                      <Attributes attributes={event.attributes ?? []} />
                    </div>
                  ))}
                </>
              )}
              {(span.links?.length ?? 0) > 0 && (
                <>
                  <h3>Links</h3>
                  <ul className="links">
                    {span.links!.map((link, l) => (
                      <li key={l}>
                        <Link to={`/trace/${encodeURIComponent(link.traceId ?? '')}?span=${encodeURIComponent(link.spanId ?? '')}`} className="mono">
                          {link.traceId} / {link.spanId}
                        </Link>
                        <Attributes attributes={link.attributes ?? []} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <Attributes title="Resource" attributes={detail.resource} />
            </div>
          );
        })}
    </aside>
  );
}

function Attributes({ title, attributes, dropped }: { title?: string; attributes: OtlpKeyValue[]; dropped?: number }) {
  if (attributes.length === 0 && !title) return null;
  return (
    <>
      {title && <h3>{title}</h3>}
      <table className="kv">
        <tbody>
          {attributes.map((a, i) => (
            <tr key={i}>
              <th className="mono">{a.key}</th>
              <td className="mono value">{anyValueText(a.value)}</td>
            </tr>
          ))}
          {attributes.length === 0 && (
            <tr>
              <td className="muted">none</td>
            </tr>
          )}
        </tbody>
      </table>
      {dropped ? <p className="muted">{dropped} attributes were dropped by the SDK.</p> : null}
    </>
  );
}
