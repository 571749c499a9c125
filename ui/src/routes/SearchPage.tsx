import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { getOperations, getServices, getTags, getTagValues, searchTraces, traceQLSearch } from '../api/native';
import { useApi } from '../api/useApi';
import { ErrorPanel } from '../components/ErrorPanel';
import { Skeleton } from '../components/Skeleton';
import { serviceColor } from '../colors';
import { formatAgo, formatCount, formatDuration, formatTimestamp } from '../format';
import { DurationScatter } from '../search/DurationScatter';
import { fromSearch, fromTraceQL, sortResults, startSeconds, type ResultRow } from '../search/results';
import { TraceQLBox } from '../search/TraceQLBox';
import { parseSearchState, ranges, searchParams, searchStateToParams, timeBounds, type SearchState } from '../url/searchState';

/** Find traces by service, operation, attributes, duration, status and time, or by a TraceQL query. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const applied = useMemo(() => parseSearchState(params), [params]);
  // The form edits a draft; Search puts it into the URL, and the URL drives the request.
  const [draft, setDraft] = useState<SearchState>(applied);
  useEffect(() => setDraft(applied), [applied]);
  const set = (change: Partial<SearchState>) => setDraft((d) => ({ ...d, ...change }));
  const submit = (state: SearchState) => setParams(searchStateToParams(state));

  const services = useApi('services', (signal) => getServices(signal));
  const operations = useApi(draft.service ? `operations/${draft.service}` : null, (signal) => getOperations(draft.service, signal));
  const tags = useApi('tags', (signal) => getTags(signal));
  const tagKeys = useMemo(() => (tags.status === 'ok' ? tags.data.tags : []), [tags]);

  // One request per applied state (the URL); relative ranges end at the moment of the request.
  const requestKey = params.toString() || 'default';
  const results = useApi(requestKey, async (signal) => {
    if (applied.mode === 'traceql') {
      if (!applied.q.trim()) return [] as ResultRow[];
      return fromTraceQL(await traceQLSearch(applied.q, { ...timeBounds(applied, Date.now()), limit: applied.limit }, signal));
    }
    return fromSearch((await searchTraces(searchParams(applied, Date.now()), signal)).traces);
  });
  const rows = useMemo(() => (results.status === 'ok' ? sortResults(results.data, applied.sort) : []), [results, applied.sort]);
  const maxDuration = Math.max(1, ...rows.map((r) => r.durationNanos));

  return (
    <section className="search-page">
      <div className="tabs" role="tablist" aria-label="Search mode">
        <button type="button" role="tab" aria-selected={draft.mode === 'form'} onClick={() => set({ mode: 'form' })}>
          Fields
        </button>
        <button type="button" role="tab" aria-selected={draft.mode === 'traceql'} onClick={() => set({ mode: 'traceql' })}>
          TraceQL
        </button>
      </div>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          submit(draft);
        }}
      >
        {draft.mode === 'form' ? (
          <>
            <label className="field">
              Service
              <select value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })} aria-busy={services.status === 'loading'}>
                <option value="">any</option>
                {services.status === 'ok' && services.data.services.map((s) => <option key={s}>{s}</option>)}
                {draft.service && services.status === 'ok' && !services.data.services.includes(draft.service) && <option>{draft.service}</option>}
              </select>
            </label>
            <label className="field">
              Operation
              <select value={draft.operation} onChange={(e) => set({ operation: e.target.value })} disabled={!draft.service}>
                <option value="">any</option>
                {operations.status === 'ok' && [...new Set(operations.data.operations.map((o) => o.name))].map((name) => <option key={name}>{name}</option>)}
                {draft.operation && operations.status !== 'ok' && <option>{draft.operation}</option>}
              </select>
            </label>
            <AttributePicker keys={tagKeys} attrs={draft.attrs} onChange={(attrs) => set({ attrs })} />
            <label className="field">
              Min duration
              <input value={draft.minDuration} onChange={(e) => set({ minDuration: e.target.value })} placeholder="100ms" size={8} />
            </label>
            <label className="field">
              Max duration
              <input value={draft.maxDuration} onChange={(e) => set({ maxDuration: e.target.value })} placeholder="2s" size={8} />
            </label>
            <label className="field">
              Status
              <select value={draft.status} onChange={(e) => set({ status: e.target.value as SearchState['status'] })}>
                <option value="">any</option>
                <option value="error">error</option>
                <option value="ok">ok</option>
                <option value="unset">unset</option>
              </select>
            </label>
          </>
        ) : (
          <TraceQLBox
            value={draft.q}
            onChange={(q) => set({ q })}
            onRun={(q) => submit({ ...draft, q })}
            attributeKeys={tagKeys}
            error={applied.mode === 'traceql' && results.status === 'error' ? results.error : null}
          />
        )}
        <label className="field">
          Time
          <select value={draft.range} onChange={(e) => set({ range: e.target.value })}>
            {ranges.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {draft.range === 'custom' && (
          <>
            <label className="field">
              From
              <input value={draft.start} onChange={(e) => set({ start: e.target.value })} placeholder="2024-05-01T12:00:00Z" />
            </label>
            <label className="field">
              To
              <input value={draft.end} onChange={(e) => set({ end: e.target.value })} placeholder="now" />
            </label>
          </>
        )}
        <label className="field">
          Limit
          <input type="number" min={1} max={10000} value={draft.limit} onChange={(e) => set({ limit: Number(e.target.value) || 20 })} style={{ width: 80 }} />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>

      {results.status === 'loading' && <Skeleton rows={8} label="Searching" />}
      {results.status === 'error' && !(applied.mode === 'traceql' && results.error.body?.line) && (
        <ErrorPanel error={results.error} onRetry={results.retry} what="search results" />
      )}
      {results.status === 'ok' && (
        <>
          {rows.length > 0 && (
            <DurationScatter
              points={rows.map((r) => ({ traceId: r.traceId, time: startSeconds(r), durationNanos: r.durationNanos, error: (r.errorCount ?? 0) > 0 }))}
              onOpen={(traceId) => navigate(`/trace/${traceId}`)}
            />
          )}
          <div className="results-head">
            <strong>{rows.length === 0 ? 'No traces match.' : `${formatCount(rows.length)} traces`}</strong>
            <label>
              Sort{' '}
              <select value={applied.sort} onChange={(e) => submit({ ...applied, sort: e.target.value as SearchState['sort'] })} aria-label="Sort results">
                <option value="newest">newest first</option>
                <option value="slowest">slowest first</option>
                <option value="errors">most errors first</option>
              </select>
            </label>
          </div>
          {rows.length > 0 && (
            <table className="results">
              <thead>
                <tr>
                  <th>Root</th>
                  <th>Services</th>
                  <th className="num">Errors</th>
                  <th>Duration</th>
                  <th>Start</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.traceId}>
                    <td>
                      <Link to={`/trace/${row.traceId}`}>
                        <span className="swatch" style={{ background: serviceColor(row.rootService) }} />
                        {row.rootService}: {row.rootName || <span className="muted">(root not yet arrived)</span>}
                      </Link>
                      <div className="muted mono small">{row.traceId}</div>
                    </td>
                    <td>
                      {row.services?.map((s) => (
                        <span key={s.name} className="service-chip">
                          <span className="swatch" style={{ background: serviceColor(s.name) }} />
                          {s.name} <span className="muted">{formatCount(s.spanCount)}</span>
                        </span>
                      ))}
                      {row.spanCount !== undefined && <div className="muted small">{formatCount(row.spanCount)} spans</div>}
                      {row.matched !== undefined && <div className="muted small">{formatCount(row.matched)} spans matched</div>}
                    </td>
                    <td className={row.errorCount ? 'num error-text' : 'num'}>{row.errorCount ?? ''}</td>
                    <td className="duration-cell">
                      <div className="duration-bar" style={{ width: `${Math.max(1, (row.durationNanos / maxDuration) * 100)}%` }} />
                      {formatDuration(row.durationNanos)}
                    </td>
                    <td title={formatTimestamp(row.startTimeUnixNano)}>
                      {formatTimestamp(row.startTimeUnixNano)}
                      <div className="muted small">{formatAgo(row.startTimeUnixNano)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** `key=value` attribute filters: the key from the tag catalog, the value from that key's values. */
function AttributePicker({ keys, attrs, onChange }: { keys: string[]; attrs: string[]; onChange: (attrs: string[]) => void }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const values = useApi(key && keys.includes(key) ? `values/${key}` : null, (signal) => getTagValues(key, 100, signal));
  const add = () => {
    if (!key.trim()) return;
    onChange([...attrs, `${key.trim()}=${value}`]);
    setKey('');
    setValue('');
  };
  return (
    <div className="field attribute-picker">
      Attributes
      <div className="attr-inputs">
        <input list="tag-keys" value={key} onChange={(e) => setKey(e.target.value)} placeholder="http.route" aria-label="Attribute key" size={14} />
        <datalist id="tag-keys">
          {keys.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        =
        <input
          list="tag-values"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          placeholder="/cart"
          aria-label="Attribute value"
          size={12}
        />
        <datalist id="tag-values">
          {values.status === 'ok' && values.data.values.map((v) => <option key={v} value={v} />)}
        </datalist>
        <button type="button" onClick={add} aria-label="Add attribute filter">
          +
        </button>
      </div>
      <div className="chips">
        {attrs.map((a, i) => (
          <span key={i} className="chip mono">
            {a}
            <button type="button" aria-label={`Remove ${a}`} onClick={() => onChange(attrs.filter((_, k) => k !== i))}>
              ×
            </button>
          </span>
        ))}
      </div>
    </div>
  );
}
