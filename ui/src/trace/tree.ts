/**
 * The span tree of a trace, built without recursion (a trace may be a chain a million deep):
 * display order is depth first, roots and siblings by start time, so every subtree is one
 * contiguous run of `order` and collapsing a span skips `size[span]` rows.
 */
export interface TraceTree {
  count: number;
  /** Span indexes in display order. */
  order: Int32Array;
  /** Where each span sits in `order`. */
  position: Int32Array;
  /** The parent the tree uses (-1 for roots, including spans cut from a parent cycle). */
  parent: Int32Array;
  depth: Int32Array;
  /** Spans in the subtree, itself included. */
  size: Int32Array;
  childCount: Int32Array;
  /** Children of span i are `children[firstChild[i] .. firstChild[i + 1])`, by start. */
  firstChild: Int32Array;
  children: Int32Array;
  maxDepth: number;
  rootCount: number;
}

/** Builds the tree of the first `count` spans from parent indexes (-1 for none) and start offsets. */
export function buildTree(parents: Int32Array, starts: Float64Array, count: number): TraceTree {
  const parent = new Int32Array(count);
  const childCount = new Int32Array(count);
  let rootCount = 0;
  for (let i = 0; i < count; i++) {
    const p = parents[i]!;
    const valid = p >= 0 && p < count && p !== i;
    parent[i] = valid ? p : -1;
    if (valid) childCount[p]!++;
    else rootCount++;
  }

  // Children in one flat array (compressed rows), each node's run sorted by start.
  const firstChild = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) firstChild[i + 1] = firstChild[i]! + childCount[i]!;
  const children = new Int32Array(firstChild[count]!);
  const fill = firstChild.slice(0, count);
  const roots = new Int32Array(rootCount);
  let r = 0;
  for (let i = 0; i < count; i++) {
    const p = parent[i]!;
    if (p < 0) roots[r++] = i;
    else children[fill[p]!++] = i;
  }
  const byStart = (a: number, b: number) => starts[a]! - starts[b]! || a - b;
  sortRunsByStart(children, firstChild, count, starts, byStart);
  if (!isSortedByStart(roots, 0, roots.length, starts)) roots.sort(byStart);

  const order = new Int32Array(count);
  const position = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count);
  const stack = new Int32Array(count);
  let written = 0;
  let maxDepth = 0;

  const walk = (root: number, rootDepth: number) => {
    let top = 0;
    stack[top++] = root;
    depth[root] = rootDepth;
    while (top > 0) {
      const node = stack[--top]!;
      if (position[node]! >= 0) continue;
      position[node] = written;
      order[written++] = node;
      const d = depth[node]!;
      if (d > maxDepth) maxDepth = d;
      // Pushed in reverse so the earliest child comes out first.
      for (let k = firstChild[node + 1]! - 1; k >= firstChild[node]!; k--) {
        const child = children[k]!;
        depth[child] = d + 1;
        stack[top++] = child;
      }
    }
  };
  for (let k = 0; k < roots.length; k++) walk(roots[k]!, 0);
  // Spans no root reaches sit on a parent cycle: each cycle is cut at its earliest span.
  for (let i = 0; i < count && written < count; i++) {
    if (position[i]! < 0) {
      parent[i] = -1;
      rootCount++;
      walk(i, 0);
    }
  }

  const size = new Int32Array(count).fill(1);
  for (let p = count - 1; p >= 0; p--) {
    const node = order[p]!;
    const up = parent[node]!;
    if (up >= 0) size[up]! += size[node]!;
  }
  return { count, order, position, parent, depth, size, childCount, firstChild, children, maxDepth, rootCount };
}

function isSortedByStart(items: Int32Array, from: number, to: number, starts: Float64Array): boolean {
  for (let k = from + 1; k < to; k++) {
    const a = items[k - 1]!;
    const b = items[k]!;
    if (starts[a]! > starts[b]! || (starts[a] === starts[b] && a > b)) return false;
  }
  return true;
}

function sortRunsByStart(children: Int32Array, firstChild: Int32Array, count: number, starts: Float64Array, byStart: (a: number, b: number) => number) {
  for (let node = 0; node < count; node++) {
    const from = firstChild[node]!;
    const to = firstChild[node + 1]!;
    // The server's outline is already in order; only out-of-order runs pay for a sort.
    if (to - from > 1 && !isSortedByStart(children, from, to, starts)) children.subarray(from, to).sort(byStart);
  }
}

/** The span's ancestors, nearest first. */
export function ancestorsOf(tree: TraceTree, span: number): number[] {
  const result: number[] = [];
  for (let p = tree.parent[span]!; p >= 0; p = tree.parent[p]!) result.push(p);
  return result;
}
