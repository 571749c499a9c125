import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDuration } from '../format';

export interface ScatterPoint {
  traceId: string;
  /** Seconds since the epoch. */
  time: number;
  durationNanos: number;
  error: boolean;
}

/** Duration over time, one point per trace; a click on a point opens its trace. */
export function DurationScatter({ points, onOpen }: { points: ScatterPoint[]; onOpen: (traceId: string) => void }) {
  const frame = useRef<HTMLDivElement>(null);
  const openRef = useRef(onOpen);
  openRef.current = onOpen;

  useEffect(() => {
    const element = frame.current;
    if (!element || points.length === 0) return;
    // uPlot wants x ascending.
    const sorted = [...points].sort((a, b) => a.time - b.time);
    const ok = sorted.map((p) => (p.error ? null : p.durationNanos / 1e6));
    const failed = sorted.map((p) => (p.error ? p.durationNanos / 1e6 : null));
    const styles = getComputedStyle(element);
    const accent = styles.getPropertyValue('--accent').trim() || '#2f64d6';
    const error = styles.getPropertyValue('--error').trim() || '#c62828';
    const muted = styles.getPropertyValue('--fg-muted').trim() || '#888';
    const axis = { stroke: muted, grid: { stroke: 'rgba(128,128,128,0.15)' }, ticks: { stroke: 'rgba(128,128,128,0.3)' } };
    const dots = (color: string, label: string): uPlot.Series => ({
      label,
      stroke: color,
      fill: color,
      paths: () => null,
      points: { show: true, size: 7, fill: color, stroke: color },
      value: (_u, v) => (v == null ? '' : formatDuration(v * 1e6)),
    });
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { size: 10 } },
        scales: { x: { time: true }, y: { distr: 3 } },
        axes: [axis, { ...axis, values: (_u, values) => values.map((v) => formatDuration(v * 1e6)), size: 70 }],
        series: [{}, dots(accent, 'ok'), dots(error, 'error')],
        hooks: {
          ready: [
            (u) => {
              u.over.addEventListener('click', () => {
                const idx = u.cursor.idx;
                if (idx != null && sorted[idx]) openRef.current(sorted[idx].traceId);
              });
              u.over.style.cursor = 'pointer';
            },
          ],
        },
      },
      [sorted.map((p) => p.time), ok, failed] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points]);

  return <div className="scatter" ref={frame} aria-label="Trace duration over time; click a point to open the trace" />;
}
