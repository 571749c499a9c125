import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { getServiceGraph } from '../../api/analysis';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { rangeKey, toApiRange } from '../shared/timeRange';
import { TimeRangePicker } from '../shared/TimeRangePicker';
import { useRange } from '../shared/useRange';
import { layoutMap, toLayoutInput, type MapLayout } from './graphLayout';
import './serviceMap.css';

const typeLabel = { service: 'service', database: 'database', messaging: 'messaging', external: 'external' } as const;

/** The service graph in layers: callers to the left, edges labelled with rate, error % and p95. */
export function ServiceMapPage() {
  const [range, setRange] = useRange();
  const graph = useApi(`service-graph?${rangeKey(range)}`, (signal) => getServiceGraph(toApiRange(range, Date.now()), signal));
  const layout = useMemo(() => (graph.status === 'ok' ? layoutMap(toLayoutInput(graph.data)) : null), [graph.status, graph.data]);

  return (
    <section className="service-map-page">
      <h1>Service map</h1>
      <div className="toolbar">
        <TimeRangePicker range={range} onChange={setRange} />
      </div>
      {graph.status === 'loading' && <Skeleton rows={8} label="Loading the service graph" />}
      {graph.status === 'error' && <ErrorPanel error={graph.error} onRetry={graph.retry} what="the service graph" />}
      {layout && layout.nodes.length === 0 && <p className="muted">No spans in this time range: nothing to draw.</p>}
      {layout && layout.nodes.length > 0 && <MapDrawing layout={layout} />}
      <p className="muted legend">
        <span className="swatch health-ok" /> under 1 % errors <span className="swatch health-degraded" /> 1–5 %{' '}
        <span className="swatch health-failing" /> 5 % or more <span className="swatch health-idle" /> no traffic of its own
      </p>
    </section>
  );
}

function MapDrawing({ layout }: { layout: MapLayout }) {
  const navigate = useNavigate();
  return (
    <div className="map-scroll">
      <svg
        className="service-map"
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label="Service graph"
      >
        <defs>
          <marker id="map-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="map-arrow" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <g key={edge.id} className={`map-edge health-${edge.health} connection-${edge.connectionType}`} data-edge={edge.id}>
            <polyline points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} markerEnd="url(#map-arrow)" />
            <text x={edge.labelX} y={edge.labelY} textAnchor="middle" dominantBaseline="middle">
              {edge.label}
            </text>
          </g>
        ))}
        {layout.nodes.map((node) => (
          <g
            key={node.id}
            className={`map-node health-${node.health} type-${node.type}${node.href ? ' clickable' : ''}`}
            transform={`translate(${node.x},${node.y})`}
            data-node={node.id}
            role={node.href ? 'link' : undefined}
            tabIndex={node.href ? 0 : undefined}
            aria-label={node.href ? `${node.name}: open the service page` : `${typeLabel[node.type]} ${node.name}`}
            onClick={() => node.href && navigate(node.href)}
            onKeyDown={(e) => {
              if (node.href && (e.key === 'Enter' || e.key === ' ')) navigate(node.href);
            }}
          >
            <rect width={node.width} height={node.height} rx={node.type === 'service' ? 6 : 18} />
            <text x={10} y={20} className="map-node-name">
              {node.name.length > 24 ? `${node.name.slice(0, 23)}…` : node.name}
            </text>
            <text x={10} y={38} className="map-node-detail">
              {typeLabel[node.type]}
              {node.detail ? ` · ${node.detail}` : ''}
            </text>
            <title>{node.name}</title>
          </g>
        ))}
      </svg>
    </div>
  );
}
