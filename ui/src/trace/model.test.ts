import { describe, expect, it } from 'vitest';
import type { OutlineChunk } from '../api/types';
import { appendChunk, decodeChunk, emptyModel, nameOf, serviceOf } from './model';

const chunk = (offset: number, spans: [string, number, string, string][]): OutlineChunk => {
  const services: string[] = [];
  const names: string[] = [];
  const idx = (table: string[], v: string) => (table.includes(v) ? table.indexOf(v) : table.push(v) - 1);
  return {
    traceId: 't',
    spanCount: 4,
    offset,
    startTimeUnixNano: '1700000000000000000',
    durationNanos: 100,
    services,
    names,
    spanIds: spans.map((s) => s[0]),
    parents: spans.map((s) => s[1]),
    serviceIndexes: spans.map((s) => idx(services, s[2])),
    nameIndexes: spans.map((s) => idx(names, s[3])),
    startOffsetNanos: spans.map((_, i) => offset + i),
    spanDurationNanos: spans.map(() => 10),
    statuses: spans.map(() => 0),
    kinds: spans.map(() => 2),
    flags: spans.map(() => 0),
  };
};

describe('chunked outline decoding', () => {
  it('appends chunks whose own tables map onto the model tables', () => {
    const first = decodeChunk(chunk(0, [['a', -1, 'front', 'GET /'], ['b', 0, 'db', 'SELECT']]));
    const model = emptyModel(first);
    appendChunk(model, first);
    appendChunk(model, decodeChunk(chunk(2, [['c', 1, 'db', 'SELECT'], ['d', 0, 'pay', 'charge']])));
    expect(model.count).toBe(4);
    expect(model.services).toEqual(['front', 'db', 'pay']);
    expect([0, 1, 2, 3].map((i) => `${serviceOf(model, i)}/${nameOf(model, i)}`)).toEqual(['front/GET /', 'db/SELECT', 'db/SELECT', 'pay/charge']);
    expect(Array.from(model.parents)).toEqual([-1, 0, 1, 0]);
  });

  it('refuses a chunk out of sequence or from another read of the trace', () => {
    const first = decodeChunk(chunk(0, [['a', -1, 'front', 'GET /']]));
    const model = emptyModel(first);
    appendChunk(model, first);
    expect(() => appendChunk(model, decodeChunk(chunk(2, [['c', 0, 'db', 'x']])))).toThrow(/starts at 2, expected 1/);
    expect(() => appendChunk(model, { ...decodeChunk(chunk(1, [['c', 0, 'db', 'x']])), total: 9 })).toThrow(/different read/);
  });

  it('treats a parent that does not come earlier as a root', () => {
    const first = decodeChunk(chunk(0, [['a', 1, 'front', 'x'], ['b', 1, 'front', 'y']]));
    const model = appendChunk(emptyModel(first), first);
    expect(Array.from(model.parents.subarray(0, 2))).toEqual([-1, -1]);
  });

  it('names the column at fault in a malformed chunk', () => {
    const bad = { ...chunk(0, [['a', -1, 'front', 'x']]), flags: [] };
    expect(() => decodeChunk(bad)).toThrow(/column flags has 0 entries, expected 1/);
    const badIndex = { ...chunk(0, [['a', -1, 'front', 'x']]), serviceIndexes: [5] };
    expect(() => decodeChunk(badIndex)).toThrow(/names service 5/);
  });
});
