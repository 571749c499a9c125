import dagre from '@dagrejs/dagre';
import { formatDuration } from '../../format';
import type { NodeType, ServiceGraphEdge, ServiceGraphResponse } from '../../api/types';

export type Health = 'ok' | 'degraded' | 'failing' | 'idle';

/** Error % at or above which a node is drawn as degraded, and as failing. */
export const degradedPercent = 1;
export const failingPercent = 5;

export function healthOf(errorPercent: number, ratePerSecond: number): Health {
  if (ratePerSecond <= 0 && errorPercent <= 0) return 'idle';
  if (errorPercent >= failingPercent) return 'failing';
  if (errorPercent >= degradedPercent) return 'degraded';
  return 'ok';
}

export interface MapNode {
  id: string;
  name: string;
  type: NodeType;
  health: Health;
  /** The node's own line under its name: rate and error %. */
  detail: string;
  /** Where a click goes: the service page for services, nothing for databases, queues and external hosts. */
  href: string | null;
  width: number;
  height: number;
}

export interface MapEdge {
  id: string;
  caller: string;
  callee: string;
  label: string;
  health: Health;
  connectionType: ServiceGraphEdge['connectionType'];
}

export const nodeWidth = 170;
export const nodeHeight = 52;

const formatRate = (perSecond: number): string =>
  perSecond >= 10 ? `${Math.round(perSecond)}/s` : perSecond >= 0.1 ? `${perSecond.toFixed(1)}/s` : `${(perSecond * 60).toFixed(1)}/min`;

const formatPercent = (percent: number): string => `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;

export function edgeLabel(edge: ServiceGraphEdge): string {
  return `${formatRate(edge.ratePerSecond)} · ${formatPercent(edge.errorPercent)} err · p95 ${formatDuration(edge.p95Nanos)}`;
}

/**
 * The graph as the layout takes it: one node per graph node (plus a plain one for an edge end the
 * answer did not list, so no edge is lost), one edge per caller → callee, self-calls left out
 * (they would only draw a loop over the node; the node's own figures already count them).
 */
export function toLayoutInput(graph: ServiceGraphResponse): { nodes: MapNode[]; edges: MapEdge[] } {
  const nodes = new Map<string, MapNode>();
  for (const node of graph.nodes) {
    nodes.set(node.id, {
      id: node.id,
      name: node.name,
      type: node.type,
      health: healthOf(node.errorPercent, node.ratePerSecond),
      detail: `${formatRate(node.ratePerSecond)} · ${formatPercent(node.errorPercent)} err`,
      href: node.type === 'service' ? `/services/${encodeURIComponent(node.name)}` : null,
      width: nodeWidth,
      height: nodeHeight,
    });
  }
  const edges: MapEdge[] = [];
  for (const edge of graph.edges) {
    if (edge.caller === edge.callee) continue;
    for (const end of [edge.caller, edge.callee]) {
      if (!nodes.has(end)) {
        const colon = end.indexOf(':');
        nodes.set(end, {
          id: end,
          name: colon > 0 ? end.slice(colon + 1) : end,
          type: 'external',
          health: 'idle',
          detail: '',
          href: null,
          width: nodeWidth,
          height: nodeHeight,
        });
      }
    }
    edges.push({
      id: `${edge.caller}→${edge.callee}`,
      caller: edge.caller,
      callee: edge.callee,
      label: edgeLabel(edge),
      health: healthOf(edge.errorPercent, edge.ratePerSecond),
      connectionType: edge.connectionType,
    });
  }
  return { nodes: [...nodes.values()], edges };
}

export interface PlacedNode extends MapNode {
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface PlacedEdge extends MapEdge {
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
}

export interface MapLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** Lays the graph out in layers, callers left of callees (dagre's layered layout). */
export function layoutMap(input: { nodes: MapNode[]; edges: MapEdge[] }): MapLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 170, edgesep: 20, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) g.setNode(node.id, { width: node.width, height: node.height });
  // The label takes room between the layers, so dagre keeps it clear of the nodes.
  for (const edge of input.edges) g.setEdge(edge.caller, edge.callee, { width: edge.label.length * 6.2, height: 16, labelpos: 'c' });
  dagre.layout(g);

  const nodes = input.nodes.map((node) => {
    const placed = g.node(node.id);
    return { ...node, x: placed.x - node.width / 2, y: placed.y - node.height / 2 };
  });
  const edges = input.edges.map((edge) => {
    const placed = g.edge(edge.caller, edge.callee);
    const points = ((placed.points ?? []) as { x: number; y: number }[]).map((p) => ({ x: p.x, y: p.y }));
    return { ...edge, points, labelX: placed.x ?? 0, labelY: placed.y ?? 0 };
  });
  const graph = g.graph();
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
