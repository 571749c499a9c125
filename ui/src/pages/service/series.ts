import type { RedPoint, RedTotals } from '../../api/types';
import { nanosToMillis } from '../../format';

/**
 * RED points as uPlot takes them: one x array (Unix seconds) and one y array per series. A point
 * with no spans has null quantiles, which uPlot draws as a gap rather than a fall to zero.
 */
export interface RedSeries {
  times: number[];
  rate: number[];
  errorPercent: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
}

const toMs = (nanos: number | null): number | null => (nanos === null ? null : nanos / 1_000_000);

export function redSeries(points: readonly RedPoint[]): RedSeries {
  const sorted = [...points].sort((a, b) => nanosToMillis(a.startTimeUnixNano) - nanosToMillis(b.startTimeUnixNano));
  return {
    times: sorted.map((p) => nanosToMillis(p.startTimeUnixNano) / 1000),
    rate: sorted.map((p) => p.ratePerSecond),
    errorPercent: sorted.map((p) => (p.count > 0 ? (p.errorCount / p.count) * 100 : 0)),
    p50Ms: sorted.map((p) => toMs(p.p50Nanos)),
    p95Ms: sorted.map((p) => toMs(p.p95Nanos)),
    p99Ms: sorted.map((p) => toMs(p.p99Nanos)),
  };
}

export interface OperationRow {
  name: string;
  kind: string;
  count: number;
  rate: number;
  errorPercent: number;
  p50Nanos: number | null;
  p95Nanos: number | null;
  p99Nanos: number | null;
}

/** The top-operations table: busiest first (as the server orders them), at most `limit`. */
export function operationRows(
  operations: readonly { name: string; kind: string; total: RedTotals }[],
  limit = 20,
): OperationRow[] {
  return [...operations]
    .sort((a, b) => b.total.count - a.total.count || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((op) => ({
      name: op.name,
      kind: op.kind,
      count: op.total.count,
      rate: op.total.ratePerSecond,
      errorPercent: op.total.errorRatio * 100,
      p50Nanos: op.total.p50Nanos,
      p95Nanos: op.total.p95Nanos,
      p99Nanos: op.total.p99Nanos,
    }));
}

/**
 * The floor of the "slowest traces" search: the service's p95, rounded down to a whole millisecond
 * (the search takes Go durations), so the list shows the tail rather than the newest traces.
 */
export function slowThreshold(total: RedTotals): string | undefined {
  if (total.p95Nanos === null || total.p95Nanos <= 0) return undefined;
  const ms = Math.floor(total.p95Nanos / 1_000_000);
  return ms >= 1 ? `${ms}ms` : `${Math.floor(total.p95Nanos / 1000)}us`;
}
