import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Shown after each value in the legend: `/s`, `%`, ` ms`. */
  unit: string;
}

/** A small uPlot line chart over time (x in Unix seconds), sized to its container's width. */
export function TimeSeriesChart({ title, times, series, height = 180 }: { title: string; times: number[]; series: ChartSeries[]; height?: number }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axisColor = getComputedStyle(element).color;
    const options: uPlot.Options = {
      title,
      width: Math.max(element.clientWidth, 200),
      height,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: axisColor, grid: { stroke: 'rgba(128,128,128,0.15)' } },
        { stroke: axisColor, grid: { stroke: 'rgba(128,128,128,0.15)' }, size: 60 },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          spanGaps: false,
          value: (_: uPlot, v: number | null) => (v === null || v === undefined ? '–' : `${Number(v.toPrecision(3))}${s.unit}`),
        })),
      ],
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 200), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, times, series, height]);

  return <div className="time-series-chart" ref={container} />;
}
