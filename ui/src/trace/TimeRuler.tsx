import { timeTicks } from './timeAxis';

/** Tick labels over the timeline column for the zoom window [from, to]. */
export function TimeRuler({ from, to, width }: { from: number; to: number; width: number }) {
  const ticks = timeTicks(from, to, width);
  return (
    <div className="time-axis" style={{ width }}>
      {ticks.map((tick) => (
        <span key={tick.offset} className="tick" style={{ left: tick.x }}>
          {tick.label}
        </span>
      ))}
    </div>
  );
}
