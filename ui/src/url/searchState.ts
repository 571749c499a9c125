import type { SearchParams } from '../api/native';

export type SearchSort = 'newest' | 'slowest' | 'errors';

/** The search page's fields, as they sit in the URL (`/search?service=…&attr=…`). */
export interface SearchState {
  mode: 'form' | 'traceql';
  service: string;
  operation: string;
  /** `key=value` pairs, all must hold on one span. */
  attrs: string[];
  minDuration: string;
  maxDuration: string;
  status: '' | 'error' | 'ok' | 'unset';
  /** A relative range (`15m`, `1h`, `6h`, `24h`, `7d`) or `custom` with start/end. */
  range: string;
  start: string;
  end: string;
  limit: number;
  sort: SearchSort;
  q: string;
}

export const ranges: { value: string; label: string; seconds: number }[] = [
  { value: '15m', label: 'Last 15 minutes', seconds: 900 },
  { value: '1h', label: 'Last hour', seconds: 3600 },
  { value: '6h', label: 'Last 6 hours', seconds: 21600 },
  { value: '24h', label: 'Last 24 hours', seconds: 86400 },
  { value: '7d', label: 'Last 7 days', seconds: 604800 },
];

export const defaultSearchState: SearchState = {
  mode: 'form',
  service: '',
  operation: '',
  attrs: [],
  minDuration: '',
  maxDuration: '',
  status: '',
  range: '1h',
  start: '',
  end: '',
  limit: 20,
  sort: 'newest',
  q: '',
};

const statuses = ['error', 'ok', 'unset'] as const;
const sorts = ['newest', 'slowest', 'errors'] as const;

export function parseSearchState(params: URLSearchParams): SearchState {
  const limit = Number(params.get('limit'));
  const range = params.get('range') ?? '';
  return {
    mode: params.get('mode') === 'traceql' ? 'traceql' : 'form',
    service: params.get('service') ?? '',
    operation: params.get('operation') ?? '',
    attrs: params.getAll('attr').filter((a) => a.includes('=')),
    minDuration: params.get('minDuration') ?? '',
    maxDuration: params.get('maxDuration') ?? '',
    status: statuses.find((s) => s === params.get('status')) ?? '',
    range: range === 'custom' || ranges.some((r) => r.value === range) ? range : defaultSearchState.range,
    start: params.get('start') ?? '',
    end: params.get('end') ?? '',
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 10000 ? limit : defaultSearchState.limit,
    sort: sorts.find((s) => s === params.get('sort')) ?? 'newest',
    q: params.get('q') ?? '',
  };
}

/** Only what differs from the defaults goes into the URL, so links stay short. */
export function searchStateToParams(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.mode !== 'form') params.set('mode', state.mode);
  if (state.service) params.set('service', state.service);
  if (state.operation) params.set('operation', state.operation);
  for (const attr of state.attrs) params.append('attr', attr);
  if (state.minDuration) params.set('minDuration', state.minDuration);
  if (state.maxDuration) params.set('maxDuration', state.maxDuration);
  if (state.status) params.set('status', state.status);
  if (state.range !== defaultSearchState.range) params.set('range', state.range);
  if (state.range === 'custom') {
    if (state.start) params.set('start', state.start);
    if (state.end) params.set('end', state.end);
  }
  if (state.limit !== defaultSearchState.limit) params.set('limit', String(state.limit));
  if (state.sort !== 'newest') params.set('sort', state.sort);
  if (state.q) params.set('q', state.q);
  return params;
}

/** The time bounds to send: a relative range becomes Unix ns from `nowMs`. */
export function timeBounds(state: SearchState, nowMs: number): { start?: string; end?: string } {
  if (state.range === 'custom') return { start: state.start || undefined, end: state.end || undefined };
  const seconds = ranges.find((r) => r.value === state.range)?.seconds ?? 3600;
  const end = BigInt(Math.floor(nowMs)) * 1_000_000n;
  return { start: (end - BigInt(seconds) * 1_000_000_000n).toString(), end: end.toString() };
}

/** The /api/v1/search parameters for the form mode. */
export function searchParams(state: SearchState, nowMs: number): SearchParams {
  return {
    service: state.service || undefined,
    name: state.operation || undefined,
    status: state.status || undefined,
    minDuration: state.minDuration || undefined,
    maxDuration: state.maxDuration || undefined,
    attr: state.attrs,
    limit: state.limit,
    ...timeBounds(state, nowMs),
  };
}
