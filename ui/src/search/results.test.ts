import { describe, expect, it } from 'vitest';
import { compareNanos, fromTraceQL, sortResults, type ResultRow } from './results';

const row = (traceId: string, start: string, durationNanos: number, errorCount: number): ResultRow => ({ traceId, rootService: 's', rootName: 'n', startTimeUnixNano: start, durationNanos, errorCount });

describe('search results', () => {
  const rows = [row('a', '1700000000000000001', 5, 0), row('b', '1700000000000000003', 1, 2), row('c', '1700000000000000002', 9, 2)];

  it('sorts newest, slowest or most errors first', () => {
    expect(sortResults(rows, 'newest').map((r) => r.traceId)).toEqual(['b', 'c', 'a']);
    expect(sortResults(rows, 'slowest').map((r) => r.traceId)).toEqual(['c', 'a', 'b']);
    expect(sortResults(rows, 'errors').map((r) => r.traceId)).toEqual(['b', 'c', 'a']);
  });

  it('compares nanosecond strings exactly beyond 2^53', () => {
    expect(compareNanos('1700000000000000001', '1700000000000000002')).toBeLessThan(0);
    expect(compareNanos('999', '1000')).toBeLessThan(0);
  });

  it('reads TraceQL answers', () => {
    const [r] = fromTraceQL({ traces: [{ traceID: 'x', rootServiceName: 'cart', rootTraceName: 'GET', startTimeUnixNano: '1', durationMs: 1.5, spanSet: { spans: [], matched: 3 } }] });
    expect(r).toMatchObject({ traceId: 'x', rootService: 'cart', durationNanos: 1_500_000, matched: 3 });
  });
});
