import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { getNamingHealth, getOperationsRed, getServiceRed } from '../../api/analysis';
import { searchTraces } from '../../api/native';
import type { RedTotals, TraceSummary } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { formatAgo, formatCount, formatDuration } from '../../format';
import { rangeKey, toApiRange, writeRange, type RangeChoice } from '../shared/timeRange';
import { TimeRangePicker } from '../shared/TimeRangePicker';
import { TimeSeriesChart, type ChartSeries } from '../shared/TimeSeriesChart';
import { useRange } from '../shared/useRange';
import { useUrlState } from '../shared/urlState';
import { operationRows, redSeries, slowThreshold, type RedSeries } from './series';
import './service.css';

const quantile = (nanos: number | null) => (nanos === null ? '–' : formatDuration(nanos));

/** One service: its RED over time, its busiest operations, its slowest and failing traces, its span-naming health. */
export function ServicePage() {
  const service = useParams().service ?? '';
  const [range, setRange] = useRange();
  const { get, patch } = useUrlState();
  const operation = get('operation');
  const key = `${service}?${rangeKey(range)}`;
  const red = useApi(`red:${key}`, (signal) => getServiceRed(service, toApiRange(range, Date.now()), signal));
  const operations = useApi(`ops:${key}`, (signal) => getOperationsRed(service, toApiRange(range, Date.now()), signal));

  const selected = operations.status === 'ok' ? operations.data.operations.find((op) => op.name === operation) : undefined;
  const shown = selected ?? (red.status === 'ok' ? red.data : undefined);
  const series = useMemo(() => (shown ? redSeries(shown.points) : null), [shown]);

  return (
    <section className="service-page">
      <h1>
        Service <span className="mono">{service}</span>
      </h1>
      <div className="toolbar">
        <TimeRangePicker range={range} onChange={setRange} />
        <Link to={`/map?${writeRange(new URLSearchParams(), range).toString()}`}>Service map</Link>
        <Link to={`/triage?${new URLSearchParams({ service, selection: 'error' }).toString()}`}>Triage its errors</Link>
      </div>

      {red.status === 'loading' && <Skeleton rows={5} label="Loading rate, errors and duration" />}
      {red.status === 'error' && <ErrorPanel error={red.error} onRetry={red.retry} what={`the RED figures of ${service}`} />}
      {red.status === 'ok' && <Totals total={selected?.total ?? red.data.total} />}
      {selected && (
        <p>
          Showing operation <span className="mono">{selected.name}</span>.{' '}
          <button type="button" onClick={() => patch({ operation: undefined })}>
            Show the whole service
          </button>
        </p>
      )}
      {series && <RedCharts series={series} />}

      <h2>Top operations</h2>
      {operations.status === 'loading' && <Skeleton rows={5} label="Loading operations" />}
      {operations.status === 'error' && <ErrorPanel error={operations.error} onRetry={operations.retry} what="the operations" />}
      {operations.status === 'ok' && (
        <table className="operations-table">
          <thead>
            <tr>
              <th>Operation</th>
              <th>Kind</th>
              <th className="num">Spans</th>
              <th className="num">Rate</th>
              <th className="num">Errors</th>
              <th className="num">p50</th>
              <th className="num">p95</th>
              <th className="num">p99</th>
            </tr>
          </thead>
          <tbody>
            {operationRows(operations.data.operations).map((row) => (
              <tr key={`${row.kind} ${row.name}`} className={row.name === operation ? 'selected' : undefined}>
                <td>
                  <button type="button" className="link-button" onClick={() => patch({ operation: row.name })}>
                    {row.name}
                  </button>
                </td>
                <td>{row.kind}</td>
                <td className="num">{formatCount(row.count)}</td>
                <td className="num">{row.rate.toFixed(2)}/s</td>
                <td className={`num${row.errorPercent > 0 ? ' error-text' : ''}`}>{row.errorPercent.toFixed(1)}%</td>
                <td className="num">{quantile(row.p50Nanos)}</td>
                <td className="num">{quantile(row.p95Nanos)}</td>
                <td className="num">{quantile(row.p99Nanos)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {operations.status === 'ok' && operations.data.operations.length === 0 && <p className="muted">No spans of {service} in this range.</p>}

      <div className="trace-lists">
        <div>
          <h2>Slowest traces</h2>
          <TraceList
            service={service}
            range={range}
            operation={operation}
            kind="slow"
            total={red.status === 'ok' ? (selected?.total ?? red.data.total) : null}
            waiting={red.status === 'loading' || operations.status === 'loading'}
          />
        </div>
        <div>
          <h2>Failing traces</h2>
          <TraceList service={service} range={range} operation={operation} kind="error" total={null} waiting={false} />
        </div>
      </div>

      <h2>Naming health</h2>
      <NamingHealth service={service} />
    </section>
  );
}

function Totals({ total }: { total: RedTotals }) {
  return (
    <dl className="red-totals">
      <div>
        <dt>Spans</dt>
        <dd>{formatCount(total.count)}</dd>
      </div>
      <div>
        <dt>Rate</dt>
        <dd>{total.ratePerSecond.toFixed(2)}/s</dd>
      </div>
      <div>
        <dt>Errors</dt>
        <dd className={total.errorCount > 0 ? 'error-text' : undefined}>
          {formatCount(total.errorCount)} ({(total.errorRatio * 100).toFixed(1)}%)
        </dd>
      </div>
      <div>
        <dt>p50 / p95 / p99</dt>
        <dd>
          {quantile(total.p50Nanos)} / {quantile(total.p95Nanos)} / {quantile(total.p99Nanos)}
        </dd>
      </div>
    </dl>
  );
}

function RedCharts({ series }: { series: RedSeries }) {
  const charts = useMemo(() => {
    const rate: ChartSeries[] = [{ label: 'rate', values: series.rate, color: '#4e79a7', unit: '/s' }];
    const errors: ChartSeries[] = [{ label: 'errors', values: series.errorPercent, color: '#e15759', unit: '%' }];
    const latency: ChartSeries[] = [
      { label: 'p50', values: series.p50Ms, color: '#59a14f', unit: ' ms' },
      { label: 'p95', values: series.p95Ms, color: '#f28e2b', unit: ' ms' },
      { label: 'p99', values: series.p99Ms, color: '#b07aa1', unit: ' ms' },
    ];
    return { rate, errors, latency };
  }, [series]);
  if (series.times.length === 0) return <p className="muted">No points in this range.</p>;
  return (
    <div className="red-charts">
      <TimeSeriesChart title="Rate (spans/s)" times={series.times} series={charts.rate} />
      <TimeSeriesChart title="Errors (%)" times={series.times} series={charts.errors} />
      <TimeSeriesChart title="Duration (ms)" times={series.times} series={charts.latency} />
    </div>
  );
}

/**
 * The slowest (from the p95 up, once the RED figures are in; without them, the plain search sorted by
 * duration) or the failing traces of the service, or of one of its operations.
 */
function TraceList(props: { service: string; range: RangeChoice; operation: string; kind: 'slow' | 'error'; total: RedTotals | null; waiting: boolean }) {
  const { service, range, operation, kind, total, waiting } = props;
  const minDuration = kind === 'slow' && total ? slowThreshold(total) : undefined;
  const key = waiting ? null : `${kind}:${service}:${operation}:${minDuration ?? ''}:${rangeKey(range)}`;
  const traces = useApi(key, (signal) =>
    searchTraces(
      {
        service,
        name: operation || undefined,
        status: kind === 'error' ? 'error' : undefined,
        minDuration,
        limit: 10,
        ...toApiRange(range, Date.now()),
      },
      signal,
    ),
  );
  if (traces.status === 'loading') return <Skeleton rows={4} label={`Loading ${kind === 'slow' ? 'slowest' : 'failing'} traces`} />;
  if (traces.status === 'error') return <ErrorPanel error={traces.error} onRetry={traces.retry} what="the traces" />;
  const rows: TraceSummary[] =
    kind === 'slow' ? [...traces.data.traces].sort((a, b) => b.durationNanos - a.durationNanos) : traces.data.traces;
  if (rows.length === 0) return <p className="muted">{kind === 'slow' ? 'No traces in this range.' : 'No failing traces in this range.'}</p>;
  return (
    <table className="trace-list">
      <tbody>
        {rows.map((trace) => (
          <tr key={trace.traceId}>
            <td>
              <Link to={`/trace/${trace.traceId}`}>
                {trace.rootServiceName}: {trace.rootSpanName}
              </Link>
            </td>
            <td className="num">{formatDuration(trace.durationNanos)}</td>
            <td className={`num${trace.errorCount > 0 ? ' error-text' : ''}`}>{trace.errorCount} err</td>
            <td className="muted">{formatAgo(trace.startTimeUnixNano)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NamingHealth({ service }: { service: string }) {
  const health = useApi(`naming:${service}`, (signal) => getNamingHealth(service, signal));
  if (health.status === 'loading') return <Skeleton rows={2} label="Loading naming health" />;
  if (health.status === 'error') return <ErrorPanel error={health.error} onRetry={health.retry} what="the naming health" />;
  const entry = health.data.services.find((s) => s.service === service);
  if (!entry || entry.findings.length === 0) {
    return <p className="muted">No span-naming problems found{entry ? ` (${formatCount(entry.distinctNames)} distinct span names)` : ''}.</p>;
  }
  return (
    <ul className="naming-findings">
      {entry.findings.map((finding) => (
        <li key={finding.suggestedName}>
          <p>{finding.message}</p>
          <p className="muted">
            Suggested name <span className="mono">{finding.suggestedName}</span>; e.g.{' '}
            {finding.examples.map((example, i) => (
              <span key={example}>
                {i > 0 && ', '}
                <span className="mono">{example}</span>
              </span>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}
