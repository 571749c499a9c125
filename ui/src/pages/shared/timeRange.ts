// The time range of the analysis pages, kept in the URL as the Search page keeps it: `range=1h`
// (relative to when the data is fetched, so a shared link shows the recent hour wherever it is
// opened) or `range=custom&start=…&end=…` (absolute, as the API takes them: Unix ns digits or RFC 3339).

export type RangeChoice = { kind: 'relative'; last: string } | { kind: 'absolute'; start: string; end: string };

export const defaultLast = '1h';
export const relativeChoices = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;

const unitMillis: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m` → 900000; null for anything that is not a whole number and one of s, m, h, d. */
export function parseLast(text: string): number | null {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]) * (unitMillis[match[2] ?? ''] ?? 0);
  return value > 0 ? value : null;
}

/** The range a URL holds; an unreadable `range` falls back to the default hour rather than failing the page. */
export function readRange(params: URLSearchParams): RangeChoice {
  const start = params.get('start');
  const end = params.get('end');
  if (start && end) return { kind: 'absolute', start, end };
  const last = params.get('range') ?? defaultLast;
  return { kind: 'relative', last: parseLast(last) === null ? defaultLast : last };
}

/** Writes `range` into `params` (in place), leaving the default out so plain links stay short. */
export function writeRange(params: URLSearchParams, range: RangeChoice): URLSearchParams {
  params.delete('start');
  params.delete('end');
  params.delete('range');
  if (range.kind === 'absolute') {
    params.set('range', 'custom');
    params.set('start', range.start);
    params.set('end', range.end);
  } else if (range.last !== defaultLast) {
    params.set('range', range.last);
  }
  return params;
}

/** A stable text for the range, for request keys: a relative range does not change as time passes. */
export function rangeKey(range: RangeChoice): string {
  return range.kind === 'absolute' ? `start=${range.start}&end=${range.end}` : `range=${range.last}`;
}

const millisToNanos = (ms: number): string => `${Math.round(ms)}000000`;

/** The `start`/`end` to send, resolving a relative range against `nowMillis`. */
export function toApiRange(range: RangeChoice, nowMillis: number): { start: string; end: string } {
  if (range.kind === 'absolute') return { start: range.start, end: range.end };
  const span = parseLast(range.last) ?? 3_600_000;
  return { start: millisToNanos(nowMillis - span), end: millisToNanos(nowMillis) };
}
