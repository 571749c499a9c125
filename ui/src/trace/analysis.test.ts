import { describe, expect, it } from 'vitest';
import type { CriticalPathResponse } from '../api/types';
import { markCriticalPath, offsetFrom } from './criticalPath';
import { findSpans } from './find';
import { modelFromSpans } from './model';
import { operationStats, selfTime } from './stats';
import { formatOffset, niceStep, timeTicks } from './timeAxis';
import { buildTree } from './tree';

describe('critical path marking', () => {
  const start = '1700000000000000000';
  const response: CriticalPathResponse = {
    traceId: 't',
    durationNanos: 100,
    segments: [
      { spanId: 'a', service: 's', name: 'root', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000030', durationNanos: 30 },
      { spanId: 'c', service: 's', name: 'c', startTimeUnixNano: '1700000000000000030', endTimeUnixNano: '1700000000000000080', durationNanos: 50 },
      { spanId: 'a', service: 's', name: 'root', startTimeUnixNano: '1700000000000000080', endTimeUnixNano: '1700000000000000100', durationNanos: 20 },
      { spanId: 'gone', service: 's', name: 'x', startTimeUnixNano: '1700000000000000080', endTimeUnixNano: '1700000000000000090', durationNanos: 10 },
    ],
    spans: [
      { spanId: 'a', criticalNanos: 50 },
      { spanId: 'c', criticalNanos: 50 },
    ],
  };
  const index = new Map([['a', 0], ['b', 1], ['c', 2]]);

  it('marks the spans on the path with their slices in trace time, exactly past 2^53', () => {
    const marks = markCriticalPath(response, index, 3, start);
    expect(Array.from(marks.onPath)).toEqual([1, 0, 1]);
    expect(marks.slices.get(0)).toEqual([[0, 30], [80, 100]]);
    expect(marks.slices.get(2)).toEqual([[30, 80]]);
    expect(marks.criticalNanos.get(2)).toBe(50);
    expect(marks.unknownSpans).toBe(1);
  });

  it('computes offsets from nanosecond strings without losing digits', () => {
    expect(offsetFrom('1700000000000000000', '1700000000000000001')).toBe(1);
    expect(Number.isNaN(offsetFrom('1700000000000000000', 'x'))).toBe(true);
  });
});

describe('time axis', () => {
  it('picks 1-2-5 steps that keep ticks apart', () => {
    expect(niceStep(1_000_000, 800, 80)).toBe(100_000);
    expect(niceStep(1_000_000, 400, 80)).toBe(200_000);
    expect(niceStep(7_300_000_000, 1000, 100)).toBe(1_000_000_000);
  });

  it('places ticks at multiples of the step inside the window', () => {
    const ticks = timeTicks(250_000, 1_250_000, 1000, 100);
    expect(ticks.map((t) => t.offset)).toEqual([300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000, 1_000_000, 1_100_000, 1_200_000]);
    expect(ticks[0]!.x).toBeCloseTo(50);
    expect(ticks[0]!.label).toBe('0.3ms');
    expect(timeTicks(0, 0, 100)).toEqual([]);
  });

  it('labels in the unit of the step', () => {
    expect(formatOffset(0, 1000)).toBe('0');
    expect(formatOffset(1_500_000, 500_000)).toBe('1.5ms');
    expect(formatOffset(2_000_000_000, 1_000_000_000)).toBe('2s');
    expect(formatOffset(250, 50)).toBe('250ns');
  });
});

describe('per-operation statistics', () => {
  const model = modelFromSpans('t', [
    { id: 'a', service: 'front', name: 'GET /', start: 0, duration: 100 },
    { id: 'b', parent: 'a', service: 'db', name: 'SELECT', start: 10, duration: 30, error: true },
    { id: 'c', parent: 'a', service: 'db', name: 'SELECT', start: 20, duration: 40 },
  ]);
  const tree = buildTree(model.parents, model.starts, model.count);

  it('counts parallel children once in self time', () => {
    // b and c cover 10..60 together: 50 of root's 100 ns.
    expect(selfTime(model, tree, 0)).toBe(50);
    expect(selfTime(model, tree, 1)).toBe(30);
  });

  it('totals per service and name, by total time', () => {
    const stats = operationStats(model, tree);
    expect(stats.map((s) => [s.service, s.name, s.count, s.errors, s.totalNanos, s.minNanos, s.maxNanos])).toEqual([
      ['front', 'GET /', 1, 0, 100, 100, 100],
      ['db', 'SELECT', 2, 1, 70, 30, 40],
    ]);
  });

  it('finds spans by name, service or id, in display order', () => {
    expect(Array.from(findSpans(model, tree, 'select'))).toEqual([1, 2]);
    expect(Array.from(findSpans(model, tree, 'FRONT'))).toEqual([0]);
    expect(Array.from(findSpans(model, tree, ''))).toEqual([]);
  });
});
