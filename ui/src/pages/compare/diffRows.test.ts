import { describe, expect, it } from 'vitest';
import type { CompareOperation } from '../../api/types';
import { changeCounts, diffRows, normalizeOther, normalizeTraceId } from './diffRows';

const op = (path: string[], change: CompareOperation['change'], left: number, right: number): CompareOperation => {
  const [service = '', name = ''] = (path.at(-1) ?? '').split(': ');
  return { path, service, name, change, leftCount: left, rightCount: right, leftDurationNanos: left * 5_000_000, rightDurationNanos: right * 5_000_000 };
};

const operations: CompareOperation[] = [
  op(['frontend: GET /cart', 'cart: GET /cart/items', 'cart: cache lookup'], 'added', 0, 1),
  op(['frontend: GET /cart'], 'same', 1, 1),
  op(['frontend: GET /cart', 'cart: GET /cart/items'], 'same', 1, 1),
  op(['frontend: GET /cart', 'cart: GET /cart/items', 'cart: SELECT cart'], 'changed', 1, 3),
  op(['frontend: GET /cart', 'frontend: render'], 'same', 1, 1),
  op(['frontend: GET /cart', 'auth: check'], 'removed', 1, 0),
];

describe('compare diff rows', () => {
  it('orders operations as a tree, parents first, indented by depth', () => {
    const rows = diffRows(operations, false);
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.service}: ${r.name}`)).toEqual([
      'frontend: GET /cart',
      '  auth: check',
      '  cart: GET /cart/items',
      '    cart: cache lookup',
      '    cart: SELECT cart',
      '  frontend: render',
    ]);
  });

  it('gives count and duration deltas', () => {
    const select = diffRows(operations, false).find((r) => r.name === 'SELECT cart');
    expect(select?.countDelta).toBe('+2');
    expect(select?.durationDeltaNanos).toBe(10_000_000);
    expect(diffRows(operations, false).find((r) => r.name === 'check')?.countDelta).toBe('−1');
  });

  it('keeps only changes and the operations above them', () => {
    expect(diffRows(operations, true).map((r) => `${r.change} ${r.name}`)).toEqual([
      'same GET /cart',
      'removed check',
      'same GET /cart/items',
      'added cache lookup',
      'changed SELECT cart',
    ]);
    expect(changeCounts(operations)).toEqual({ added: 1, removed: 1, changed: 1, same: 3 });
  });

  it('accepts trace ids and the word typical', () => {
    expect(normalizeTraceId(' 0123456789ABCDEF0123456789abcdef ')).toBe('0123456789abcdef0123456789abcdef');
    expect(normalizeTraceId('xyz')).toBeNull();
    expect(normalizeOther('Typical')).toBe('typical');
  });
});
