import { Link } from 'react-router';
import { getGenAi } from '../../api/analysis';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatDuration } from '../../format';
import { traceQLSearchLink } from '../shared/links';
import { rangeKey, toApiRange } from '../shared/timeRange';
import { TimeRangePicker } from '../shared/TimeRangePicker';
import { useRange } from '../shared/useRange';
import { useUrlState } from '../shared/urlState';
import { genAiRows, genAiTotals, isGenAiSort, type GenAiSort } from './genAiRows';

const defaults = { sort: 'calls' };
const columns: { sort: GenAiSort; label: string }[] = [
  { sort: 'calls', label: 'Calls' },
  { sort: 'errors', label: 'Errors' },
  { sort: 'tokens', label: 'Tokens in / out' },
  { sort: 'p95', label: 'p50 / p95' },
];

/** Model calls (spans with gen_ai.* attributes) per system, model and operation: calls, tokens, latency, errors. */
export function GenAiPage() {
  const [range, setRange] = useRange();
  const { get, patch } = useUrlState(defaults);
  const sortParam = get('sort');
  const sort: GenAiSort = isGenAiSort(sortParam) ? sortParam : 'calls';
  const models = useApi(`genai?${rangeKey(range)}`, (signal) => getGenAi(toApiRange(range, Date.now()), signal));

  const rows = models.status === 'ok' ? genAiRows(models.data.models, sort) : [];
  const totals = genAiTotals(rows);
  return (
    <section className="genai-page">
      <h1>GenAI</h1>
      <div className="toolbar">
        <TimeRangePicker range={range} onChange={setRange} />
      </div>
      {models.status === 'loading' && <Skeleton rows={6} label="Loading model calls" />}
      {models.status === 'error' && <ErrorPanel error={models.error} onRetry={models.retry} what="the model calls" />}
      {models.status === 'ok' && rows.length === 0 && (
        <p className="muted">No spans with gen_ai.* attributes in this range (gen_ai.system or gen_ai.provider.name, gen_ai.request.model).</p>
      )}
      {rows.length > 0 && (
        <table className="genai-table">
          <thead>
            <tr>
              <th>System</th>
              <th>Model</th>
              <th>Operation</th>
              <th>Services</th>
              {columns.map((c) => (
                <th key={c.sort} className="num" aria-sort={sort === c.sort ? 'descending' : undefined}>
                  <button type="button" className="link-button" onClick={() => patch({ sort: c.sort })}>
                    {c.label}
                    {sort === c.sort ? ' ▼' : ''}
                  </button>
                </th>
              ))}
              <th className="num">Tokens per call</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>{row.system}</td>
                <td>
                  <Link className="mono" to={traceQLSearchLink(`{ span.gen_ai.request.model = ${JSON.stringify(row.model)} }`)}>
                    {row.model}
                  </Link>
                </td>
                <td>{row.operation}</td>
                <td>{row.services}</td>
                <td className="num">{formatCount(row.calls)}</td>
                <td className={`num${row.errorCount > 0 ? ' error-text' : ''}`}>
                  {formatCount(row.errorCount)} ({row.errorPercent.toFixed(1)}%)
                </td>
                <td className="num">
                  {formatCount(row.inputTokens)} / {formatCount(row.outputTokens)}
                </td>
                <td className="num">
                  {formatDuration(row.p50Nanos)} / {formatDuration(row.p95Nanos)}
                </td>
                <td className="num">{formatCount(row.tokensPerCall)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={4}>All models</th>
              <th className="num">{formatCount(totals.calls)}</th>
              <th className="num">{formatCount(totals.errorCount)}</th>
              <th className="num">
                {formatCount(totals.inputTokens)} / {formatCount(totals.outputTokens)}
              </th>
              <th colSpan={2} />
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
