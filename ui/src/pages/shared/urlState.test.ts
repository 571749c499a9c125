import { describe, expect, it } from 'vitest';
import { patchParams } from './urlState';
import { parseLast, rangeKey, readRange, toApiRange, writeRange } from './timeRange';

describe('patchParams', () => {
  it('sets, replaces and removes values, and leaves defaults out of the URL', () => {
    const start = new URLSearchParams('service=cart&op=GET');
    const next = patchParams(start, { op: undefined, baseline: 'rest', selection: 'slow:500ms', service: 'pay' }, { baseline: 'rest' });
    expect(next.toString()).toBe('service=pay&selection=slow%3A500ms');
    expect(start.toString()).toBe('service=cart&op=GET');
  });
});

describe('time range in the URL', () => {
  it('defaults to the last hour and round-trips relative and absolute ranges', () => {
    expect(readRange(new URLSearchParams())).toEqual({ kind: 'relative', last: '1h' });
    for (const range of [
      { kind: 'relative', last: '15m' },
      { kind: 'relative', last: '1h' },
      { kind: 'absolute', start: '1700000000000000000', end: '2024-05-01T12:00:00Z' },
    ] as const) {
      expect(readRange(writeRange(new URLSearchParams('x=1'), range))).toEqual(range);
    }
    expect(writeRange(new URLSearchParams(), { kind: 'relative', last: '1h' }).toString()).toBe('');
    // The same parameters as the Search page's, so a range carries across pages.
    expect(writeRange(new URLSearchParams(), { kind: 'absolute', start: '1', end: '2' }).toString()).toBe('range=custom&start=1&end=2');
    expect(writeRange(new URLSearchParams(), { kind: 'relative', last: '6h' }).toString()).toBe('range=6h');
  });

  it('falls back to the hour for an unreadable relative range', () => {
    expect(readRange(new URLSearchParams('range=soon'))).toEqual({ kind: 'relative', last: '1h' });
    expect(parseLast('0m')).toBeNull();
    expect(parseLast('7d')).toBe(604_800_000);
  });

  it('resolves a relative range at fetch time, in Unix nanoseconds', () => {
    expect(toApiRange({ kind: 'relative', last: '15m' }, 1_700_000_000_000)).toEqual({
      start: '1699999100000000000',
      end: '1700000000000000000',
    });
    expect(rangeKey({ kind: 'relative', last: '15m' })).toBe('range=15m');
  });
});
