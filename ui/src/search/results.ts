import type { SearchServiceCount, TraceQLSearchResponse, TraceSummary } from '../api/types';
import { nanosToMillis } from '../format';
import type { SearchSort } from '../url/searchState';

/** A search result from either API, as the results table and the scatter plot show it. */
export interface ResultRow {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  durationNanos: number;
  spanCount?: number;
  errorCount?: number;
  services?: SearchServiceCount[];
  /** Spans the TraceQL query matched. */
  matched?: number;
}

export const fromSearch = (traces: TraceSummary[]): ResultRow[] =>
  traces.map((t) => ({
    traceId: t.traceId,
    rootService: t.rootServiceName,
    rootName: t.rootSpanName,
    startTimeUnixNano: t.startTimeUnixNano,
    durationNanos: t.durationNanos,
    spanCount: t.spanCount,
    errorCount: t.errorCount,
    services: t.services,
  }));

export const fromTraceQL = (response: TraceQLSearchResponse): ResultRow[] =>
  (response.traces ?? []).map((t) => ({
    traceId: t.traceID,
    rootService: t.rootServiceName ?? '',
    rootName: t.rootTraceName ?? '',
    startTimeUnixNano: t.startTimeUnixNano,
    durationNanos: Math.round((t.durationMs ?? 0) * 1e6),
    matched: t.spanSets?.reduce((n, s) => n + s.matched, 0) ?? t.spanSet?.matched,
  }));

/** Newest first (by start), slowest first, or most errors first; ties newest first. */
export function sortResults(rows: ResultRow[], sort: SearchSort): ResultRow[] {
  const newest = (a: ResultRow, b: ResultRow) => compareNanos(b.startTimeUnixNano, a.startTimeUnixNano);
  const by =
    sort === 'slowest'
      ? (a: ResultRow, b: ResultRow) => b.durationNanos - a.durationNanos || newest(a, b)
      : sort === 'errors'
        ? (a: ResultRow, b: ResultRow) => (b.errorCount ?? 0) - (a.errorCount ?? 0) || newest(a, b)
        : newest;
  return [...rows].sort(by);
}

/** Orders Unix-ns strings exactly (they exceed 2^53). */
export function compareNanos(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export const startSeconds = (row: ResultRow): number => nanosToMillis(row.startTimeUnixNano) / 1000;
