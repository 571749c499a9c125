import { describe, expect, it } from 'vitest';
import { defaultSearchState, parseSearchState, searchParams, searchStateToParams, type SearchState } from './searchState';
import { parseTraceState, traceStateToParams, type TraceViewState } from './traceState';

describe('trace page URL state', () => {
  it('round-trips every field', () => {
    const state: TraceViewState = { view: 'flame', span: '00f0000000000abc', window: { from: 1000, to: 250000 }, find: 'SELECT <b>', collapsed: ['00f0000000000001', '00f0000000000002'] };
    const params = traceStateToParams(state);
    expect(parseTraceState(new URLSearchParams(params.toString()))).toEqual(state);
  });

  it('keeps the defaults out of the URL and drops malformed values', () => {
    expect(traceStateToParams({ view: 'waterfall', collapsed: [] }).toString()).toBe('');
    const parsed = parseTraceState(new URLSearchParams('view=x&span=zz&from=10&to=5&collapsed=abc,00f0000000000001'));
    expect(parsed).toEqual({ view: 'waterfall', span: undefined, window: undefined, find: undefined, collapsed: ['00f0000000000001'] });
  });
});

describe('search page URL state', () => {
  it('round-trips every field', () => {
    const state: SearchState = {
      mode: 'traceql', service: 'checkout', operation: 'POST /pay', attrs: ['http.route=/cart', 'a=b=c'], minDuration: '100ms', maxDuration: '2s',
      status: 'error', range: 'custom', start: '2024-05-01T12:00:00Z', end: '1714568400000000000', limit: 50, sort: 'slowest', q: '{ span.x = "&" }',
    };
    expect(parseSearchState(new URLSearchParams(searchStateToParams(state).toString()))).toEqual(state);
  });

  it('writes nothing for the defaults and reads junk as defaults', () => {
    expect(searchStateToParams(defaultSearchState).toString()).toBe('');
    expect(parseSearchState(new URLSearchParams('limit=0&sort=x&range=99y&status=bad&attr=noequals'))).toEqual(defaultSearchState);
  });

  it('turns a relative range into Unix nanoseconds ending now', () => {
    const params = searchParams({ ...defaultSearchState, range: '15m', service: 'a' }, 1_700_000_000_000);
    expect(params.end).toBe('1700000000000000000');
    expect(params.start).toBe('1699999100000000000');
    expect(params.service).toBe('a');
  });
});
