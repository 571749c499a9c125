import { describe, expect, it } from 'vitest';
import type { RedPoint, RedTotals } from '../../api/types';
import { operationRows, redSeries, slowThreshold } from './series';

const totals = (extra: Partial<RedTotals> = {}): RedTotals => ({
  count: 10,
  errorCount: 1,
  ratePerSecond: 0.5,
  errorRatio: 0.1,
  p50Nanos: 2_000_000,
  p90Nanos: 8_000_000,
  p95Nanos: 12_345_678,
  p99Nanos: 40_000_000,
  ...extra,
});

const point = (startSeconds: number, extra: Partial<RedPoint> = {}): RedPoint => ({
  startTimeUnixNano: `${startSeconds}000000000`,
  ...totals(),
  ...extra,
});

describe('RED series for the charts', () => {
  it('orders points by time, in seconds, with error % and quantiles in ms', () => {
    const series = redSeries([point(1_700_000_060, { count: 4, errorCount: 1 }), point(1_700_000_000)]);
    expect(series.times).toEqual([1_700_000_000, 1_700_000_060]);
    expect(series.errorPercent).toEqual([10, 25]);
    expect(series.p95Ms).toEqual([12.345678, 12.345678]);
    expect(series.rate).toEqual([0.5, 0.5]);
  });

  it('leaves a gap (null) where a step had no spans', () => {
    const empty = point(1_700_000_060, { count: 0, errorCount: 0, p50Nanos: null, p95Nanos: null, p99Nanos: null, ratePerSecond: 0 });
    const series = redSeries([point(1_700_000_000), empty]);
    expect(series.p50Ms).toEqual([2, null]);
    expect(series.p99Ms).toEqual([40, null]);
    expect(series.errorPercent).toEqual([10, 0]);
  });
});

describe('top operations', () => {
  it('ranks by count and converts the error ratio to percent', () => {
    const rows = operationRows(
      [
        { name: 'GET /a', kind: 'server', total: totals({ count: 5 }) },
        { name: 'GET /b', kind: 'server', total: totals({ count: 50, errorRatio: 0.02 }) },
        { name: 'GET /c', kind: 'client', total: totals({ count: 5 }) },
      ],
      2,
    );
    expect(rows.map((r) => [r.name, r.count])).toEqual([
      ['GET /b', 50],
      ['GET /a', 5],
    ]);
    expect(rows[0]?.errorPercent).toBe(2);
  });

  it('searches the slow tail from the p95, in a duration the search accepts', () => {
    expect(slowThreshold(totals())).toBe('12ms');
    expect(slowThreshold(totals({ p95Nanos: 450_000 }))).toBe('450us');
    expect(slowThreshold(totals({ p95Nanos: null }))).toBeUndefined();
  });
});
