import { describe, expect, it } from 'vitest';
import type { ServiceGraphEdge, ServiceGraphResponse } from '../../api/types';
import { edgeLabel, healthOf, layoutMap, toLayoutInput } from './graphLayout';

const edge = (caller: string, callee: string, extra: Partial<ServiceGraphEdge> = {}): ServiceGraphEdge => ({
  caller,
  callee,
  connectionType: 'call',
  count: 120,
  errorCount: 3,
  ratePerSecond: 2,
  errorPercent: 2.5,
  p50Nanos: 1_000_000,
  p90Nanos: 9_000_000,
  p95Nanos: 12_000_000,
  p99Nanos: 30_000_000,
  ...extra,
});

const graph: ServiceGraphResponse = {
  startTimeUnixNano: '0',
  endTimeUnixNano: '1',
  nodes: [
    { id: 'frontend', name: 'frontend', type: 'service', ratePerSecond: 3.2, errorPercent: 0 },
    { id: 'checkout', name: 'checkout', type: 'service', ratePerSecond: 2, errorPercent: 1.5 },
    { id: 'payments', name: 'payments', type: 'service', ratePerSecond: 1, errorPercent: 12 },
    { id: 'db:postgresql/shop', name: 'postgresql/shop', type: 'database', ratePerSecond: 4, errorPercent: 0 },
  ],
  edges: [
    edge('frontend', 'checkout'),
    edge('checkout', 'payments', { errorPercent: 12, ratePerSecond: 0.05 }),
    edge('checkout', 'db:postgresql/shop', { connectionType: 'database', errorPercent: 0 }),
    edge('checkout', 'checkout'),
    edge('payments', 'external:api.stripe.com', { connectionType: 'external' }),
  ],
};

describe('service map layout input', () => {
  it('labels edges with rate, error % and p95', () => {
    expect(edgeLabel(edge('a', 'b'))).toBe('2.0/s · 2.5% err · p95 12 ms');
    expect(edgeLabel(edge('a', 'b', { ratePerSecond: 0.05, errorPercent: 0, p95Nanos: 1_500_000_000 }))).toBe('3.0/min · 0% err · p95 1.5 s');
  });

  it('colours by error percent', () => {
    expect(healthOf(0, 3)).toBe('ok');
    expect(healthOf(1.5, 3)).toBe('degraded');
    expect(healthOf(12, 3)).toBe('failing');
    expect(healthOf(0, 0)).toBe('idle');
  });

  it('links services to their page, adds unlisted edge ends and drops self-calls', () => {
    const input = toLayoutInput(graph);
    expect(input.nodes.map((n) => [n.id, n.type, n.health, n.href])).toEqual([
      ['frontend', 'service', 'ok', '/services/frontend'],
      ['checkout', 'service', 'degraded', '/services/checkout'],
      ['payments', 'service', 'failing', '/services/payments'],
      ['db:postgresql/shop', 'database', 'ok', null],
      ['external:api.stripe.com', 'external', 'idle', null],
    ]);
    expect(input.nodes.at(-1)?.name).toBe('api.stripe.com');
    expect(input.edges.map((e) => e.id)).toEqual([
      'frontend→checkout',
      'checkout→payments',
      'checkout→db:postgresql/shop',
      'payments→external:api.stripe.com',
    ]);
  });

  it('lays callers in earlier layers than their callees', () => {
    const layout = layoutMap(toLayoutInput(graph));
    const x = (id: string) => layout.nodes.find((n) => n.id === id)?.x ?? NaN;
    expect(x('frontend')).toBeLessThan(x('checkout'));
    expect(x('checkout')).toBeLessThan(x('payments'));
    expect(x('payments')).toBeLessThan(x('external:api.stripe.com'));
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(layout.width).toBeGreaterThan(4 * 170);
  });
});
