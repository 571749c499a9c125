import type { TraceTree } from './tree';

/**
 * The waterfall's rows: span indexes in display order, leaving out the subtrees of collapsed
 * spans. O(rows shown + collapsed spans), so collapsing a root of a million-span trace is cheap.
 */
export function visibleRows(tree: TraceTree, collapsed: ReadonlySet<number>): Int32Array {
  if (collapsed.size === 0) return tree.order;
  const rows = new Int32Array(tree.count);
  let n = 0;
  for (let p = 0; p < tree.count; ) {
    const span = tree.order[p]!;
    rows[n++] = span;
    p += collapsed.has(span) ? tree.size[span]! : 1;
  }
  return rows.subarray(0, n);
}

/** Collapses every span at `depth` that has children, so the waterfall shows `depth + 1` levels. */
export function collapseToDepth(tree: TraceTree, depth: number): Set<number> {
  const result = new Set<number>();
  for (let i = 0; i < tree.count; i++) {
    if (tree.depth[i] === depth && tree.childCount[i]! > 0) result.add(i);
  }
  return result;
}

/** Removes from `collapsed` every ancestor of `span`, so it becomes visible; returns a new set only when something changed. */
export function expandTo(tree: TraceTree, collapsed: ReadonlySet<number>, span: number): ReadonlySet<number> {
  let result: Set<number> | null = null;
  for (let p = tree.parent[span]!; p >= 0; p = tree.parent[p]!) {
    if (collapsed.has(p)) {
      result ??= new Set(collapsed);
      result.delete(p);
    }
  }
  return result ?? collapsed;
}

/** The row index of `span` within `rows`, or -1; rows come in display order, so a binary search on position works. */
export function rowOf(tree: TraceTree, rows: Int32Array, span: number): number {
  const target = tree.position[span]!;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = tree.position[rows[mid]!]!;
    if (p === target) return mid;
    if (p < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
