import type { CriticalPathResponse } from '../api/types';

/** Which spans lie on the critical path, and the slices of each that do, in the outline's time (ns from trace start). */
export interface CriticalPathMarks {
  onPath: Uint8Array;
  /** Span index → [from, to) slices on the path. */
  slices: Map<number, [number, number][]>;
  /** Span index → nanoseconds it contributes. */
  criticalNanos: Map<number, number>;
  /** Segments naming a span the outline does not have (the trace grew between the two reads). */
  unknownSpans: number;
}

/** Offset in ns of a Unix-ns string from the trace start, exact even past 2^53 (the API writes them as strings for that). */
export function offsetFrom(traceStartUnixNano: string, unixNano: string): number {
  try {
    return Number(BigInt(unixNano) - BigInt(traceStartUnixNano));
  } catch {
    return NaN;
  }
}

/** Maps the /critical-path answer onto the outline's span indexes. */
export function markCriticalPath(
  response: CriticalPathResponse,
  spanIndex: ReadonlyMap<string, number>,
  spanCount: number,
  traceStartUnixNano: string,
): CriticalPathMarks {
  const onPath = new Uint8Array(spanCount);
  const slices = new Map<number, [number, number][]>();
  const criticalNanos = new Map<number, number>();
  let unknownSpans = 0;
  for (const segment of response.segments) {
    const i = spanIndex.get(segment.spanId);
    if (i === undefined) {
      unknownSpans++;
      continue;
    }
    onPath[i] = 1;
    const from = offsetFrom(traceStartUnixNano, segment.startTimeUnixNano);
    const to = offsetFrom(traceStartUnixNano, segment.endTimeUnixNano);
    if (Number.isFinite(from) && Number.isFinite(to)) {
      let list = slices.get(i);
      if (!list) slices.set(i, (list = []));
      list.push([from, to]);
    }
  }
  for (const span of response.spans) {
    const i = spanIndex.get(span.spanId);
    if (i === undefined) continue;
    onPath[i] = 1;
    criticalNanos.set(i, span.criticalNanos);
  }
  return { onPath, slices, criticalNanos, unknownSpans };
}
