import { describe, expect, it } from 'vitest';
import { modelFromSpans } from './model';
import { buildTree } from './tree';
import { collapseToDepth, expandTo, rowOf, visibleRows } from './layout';

// root(a) ─┬─ b ── d
//          └─ c ── e ── f     and g, whose parent never arrived
const model = modelFromSpans('t', [
  { id: 'a', service: 'front', name: 'GET /', start: 0, duration: 100 },
  { id: 'c', parent: 'a', service: 'cart', name: 'load', start: 30, duration: 50 },
  { id: 'b', parent: 'a', service: 'cart', name: 'auth', start: 10, duration: 10 },
  { id: 'e', parent: 'c', service: 'db', name: 'SELECT', start: 35, duration: 20 },
  { id: 'd', parent: 'b', service: 'db', name: 'SELECT', start: 12, duration: 5 },
  { id: 'f', parent: 'e', service: 'db', name: 'fetch', start: 40, duration: 5 },
  { id: 'g', parent: 'zz', service: 'pay', name: 'charge', start: 5, duration: 5 },
]);
const ids = (rows: ArrayLike<number>) => Array.from(rows, (i) => model.spanIds[i]);

describe('buildTree', () => {
  const tree = buildTree(model.parents, model.starts, model.count);

  it('orders depth first with roots and siblings by start', () => {
    expect(ids(tree.order)).toEqual(['a', 'b', 'd', 'c', 'e', 'f', 'g']);
  });

  it('computes depth, subtree size and child counts', () => {
    const at = (id: string) => model.spanIds.indexOf(id);
    expect(['a', 'b', 'd', 'c', 'e', 'f', 'g'].map((id) => tree.depth[at(id)])).toEqual([0, 1, 2, 1, 2, 3, 0]);
    expect(tree.size[at('a')]).toBe(6);
    expect(tree.size[at('c')]).toBe(3);
    expect(tree.childCount[at('a')]).toBe(2);
    expect(tree.maxDepth).toBe(3);
    expect(tree.rootCount).toBe(2);
  });

  it('cuts a parent cycle at its earliest span instead of losing it', () => {
    const cyclic = modelFromSpans('t', [
      { id: 'x', parent: 'y', service: 's', name: 'n', start: 1, duration: 1 },
      { id: 'y', parent: 'x', service: 's', name: 'n', start: 2, duration: 1 },
    ]);
    const t = buildTree(cyclic.parents, cyclic.starts, cyclic.count);
    expect(Array.from(t.order)).toEqual([0, 1]);
    expect(t.parent[0]).toBe(-1);
    expect(t.depth[1]).toBe(1);
  });

  it('builds a chain 500,000 deep without recursion', () => {
    const n = 500_000;
    const parents = new Int32Array(n).map((_, i) => i - 1);
    const starts = new Float64Array(n).map((_, i) => i);
    const t = buildTree(parents, starts, n);
    expect(t.depth[n - 1]).toBe(n - 1);
    expect(t.size[0]).toBe(n);
  });
});

describe('collapsing', () => {
  const tree = buildTree(model.parents, model.starts, model.count);
  const at = (id: string) => model.spanIds.indexOf(id);

  it('hides the subtree of a collapsed span but keeps the span', () => {
    expect(ids(visibleRows(tree, new Set([at('c')])))).toEqual(['a', 'b', 'd', 'c', 'g']);
    expect(ids(visibleRows(tree, new Set([at('a')])))).toEqual(['a', 'g']);
    expect(ids(visibleRows(tree, new Set([at('a'), at('c')])))).toEqual(['a', 'g']);
  });

  it('collapses to a depth and expands the ancestors of a span to reveal it', () => {
    const collapsed = collapseToDepth(tree, 1);
    expect(ids(visibleRows(tree, collapsed))).toEqual(['a', 'b', 'c', 'g']);
    const revealed = expandTo(tree, collapsed, at('f'));
    expect(ids(visibleRows(tree, revealed))).toContain('f');
    expect(expandTo(tree, revealed, at('f'))).toBe(revealed);
  });

  it('finds the row of a span among the visible rows', () => {
    const rows = visibleRows(tree, new Set([at('b')]));
    expect(rowOf(tree, rows, at('e'))).toBe(ids(rows).indexOf('e'));
    expect(rowOf(tree, rows, at('d'))).toBe(-1);
  });
});
