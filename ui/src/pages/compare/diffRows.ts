import type { CompareOperation } from '../../api/types';

export interface DiffRow {
  key: string;
  /** 0 for the root operation; the indentation of the tree. */
  depth: number;
  service: string;
  name: string;
  change: CompareOperation['change'];
  leftCount: number;
  rightCount: number;
  leftDurationNanos: number;
  rightDurationNanos: number;
  /** Right minus left, in nanoseconds of total duration. */
  durationDeltaNanos: number;
  /** `+2`, `−1`, or empty when the counts agree. */
  countDelta: string;
}

/**
 * The structural diff as rows of one tree: operations ordered by their path from the root (a parent
 * before its children, siblings by name), indented by depth. With `changesOnly`, a `same` row stays
 * only when a changed operation sits below it, so every change keeps its context.
 */
export function diffRows(operations: readonly CompareOperation[], changesOnly: boolean): DiffRow[] {
  const sorted = [...operations].sort((a, b) => comparePaths(a.path, b.path));
  const keep = new Set<string>();
  if (changesOnly) {
    for (const op of sorted) {
      if (op.change === 'same') continue;
      for (let i = 1; i <= op.path.length; i++) keep.add(pathKey(op.path.slice(0, i)));
    }
  }
  return sorted
    .filter((op) => !changesOnly || keep.has(pathKey(op.path)))
    .map((op) => {
      const delta = op.rightCount - op.leftCount;
      return {
        key: pathKey(op.path),
        depth: Math.max(op.path.length - 1, 0),
        service: op.service,
        name: op.name,
        change: op.change,
        leftCount: op.leftCount,
        rightCount: op.rightCount,
        leftDurationNanos: op.leftDurationNanos,
        rightDurationNanos: op.rightDurationNanos,
        durationDeltaNanos: op.rightDurationNanos - op.leftDurationNanos,
        countDelta: delta === 0 ? '' : delta > 0 ? `+${delta}` : `−${-delta}`,
      };
    });
}

// A separator no span name is likely to hold, so distinct paths never share a key.
const pathKey = (path: readonly string[]): string => path.join('\u0000');

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = (a[i] ?? '').localeCompare(b[i] ?? '');
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** How many operations each kind of change has, for the summary line. */
export function changeCounts(operations: readonly CompareOperation[]): Record<CompareOperation['change'], number> {
  const counts = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const op of operations) counts[op.change]++;
  return counts;
}

const traceIdPattern = /^[0-9a-f]{32}$/;

/** A trace id as the API takes it (32 lowercase hex digits, spaces and case forgiven), or null. */
export function normalizeTraceId(text: string): string | null {
  const id = text.trim().toLowerCase();
  return traceIdPattern.test(id) ? id : null;
}

/** The right side: another trace id, or the word `typical`. */
export function normalizeOther(text: string): string | null {
  return text.trim().toLowerCase() === 'typical' ? 'typical' : normalizeTraceId(text);
}
