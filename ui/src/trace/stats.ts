import { nameOf, serviceOf, StatusError, type TraceModel } from './model';
import type { TraceTree } from './tree';

/** One operation (service and span name) of a trace, totalled. */
export interface OperationStats {
  service: string;
  name: string;
  count: number;
  errors: number;
  totalNanos: number;
  minNanos: number;
  maxNanos: number;
  /** Time spent in the spans themselves, not in their children (parallel children counted once). */
  selfNanos: number;
}

/** Self time: the span's duration less the union of its children's intervals within it. */
export function selfTime(model: TraceModel, tree: TraceTree, span: number): number {
  const start = model.starts[span]!;
  const end = start + model.durations[span]!;
  let covered = 0;
  let runStart = 0;
  let runEnd = -Infinity;
  for (let k = tree.firstChild[span]!; k < tree.firstChild[span + 1]!; k++) {
    const child = tree.children[k]!;
    const from = Math.max(start, model.starts[child]!);
    const to = Math.min(end, model.starts[child]! + model.durations[child]!);
    if (to <= from) continue;
    // Children come by start, so overlapping ones merge into runs.
    if (from > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = from;
      runEnd = to;
    } else if (to > runEnd) runEnd = to;
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return Math.max(0, model.durations[span]! - covered);
}

/** Per-operation totals, by total time descending. */
export function operationStats(model: TraceModel, tree: TraceTree): OperationStats[] {
  const byKey = new Map<number, OperationStats>();
  const names = model.names.length + 1;
  for (let i = 0; i < tree.count; i++) {
    const key = model.serviceIndexes[i]! * names + model.nameIndexes[i]!;
    let stats = byKey.get(key);
    if (!stats) {
      stats = { service: serviceOf(model, i), name: nameOf(model, i), count: 0, errors: 0, totalNanos: 0, minNanos: Infinity, maxNanos: 0, selfNanos: 0 };
      byKey.set(key, stats);
    }
    const d = model.durations[i]!;
    stats.count++;
    if (model.statuses[i] === StatusError) stats.errors++;
    stats.totalNanos += d;
    stats.minNanos = Math.min(stats.minNanos, d);
    stats.maxNanos = Math.max(stats.maxNanos, d);
    stats.selfNanos += selfTime(model, tree, i);
  }
  return [...byKey.values()].sort((a, b) => b.totalNanos - a.totalNanos || a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}
