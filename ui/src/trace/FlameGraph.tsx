import { useEffect, useRef } from 'react';
import { serviceColor } from '../colors';
import { nameOf, serviceOf, StatusError, type TraceModel } from './model';
import type { TraceTree } from './tree';
import { useWidth } from './useWidth';

const LevelHeight = 18;
// A canvas taller than this fails in some browsers; deeper levels are left out with a note.
const MaxLevels = 400;

/** The trace as a flame graph on a canvas: time across, depth down; spans under half a pixel are skipped. */
export function FlameGraph({
  model,
  tree,
  version,
  window: zoom,
  selected,
  onSelect,
}: {
  model: TraceModel;
  tree: TraceTree;
  version: number;
  window: { from: number; to: number };
  selected: number;
  onSelect: (span: number) => void;
}) {
  const [frame, width] = useWidth<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const levels = Math.min(tree.maxDepth + 1, MaxLevels);
  const range = Math.max(1, zoom.to - zoom.from);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || width <= 0) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.floor(width * ratio);
    element.height = Math.floor(levels * LevelHeight * ratio);
    element.style.width = `${width}px`;
    element.style.height = `${levels * LevelHeight}px`;
    context.scale(ratio, ratio);
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    const fg = getComputedStyle(element).getPropertyValue('--fg').trim() || '#000';
    for (let i = 0; i < tree.count; i++) {
      const depth = tree.depth[i]!;
      if (depth >= levels) continue;
      const x = ((model.starts[i]! - zoom.from) / range) * width;
      const w = (model.durations[i]! / range) * width;
      if (w < 0.5 || x > width || x + w < 0) continue;
      const y = depth * LevelHeight;
      context.fillStyle = model.statuses[i] === StatusError ? '#d9534f' : serviceColor(serviceOf(model, i));
      context.fillRect(x, y, Math.max(0.5, w - 0.5), LevelHeight - 1);
      if (i === selected) {
        context.strokeStyle = fg;
        context.lineWidth = 2;
        context.strokeRect(x + 1, y + 1, Math.max(1, w - 2), LevelHeight - 3);
      }
      if (w > 40) {
        context.save();
        context.beginPath();
        context.rect(x, y, w, LevelHeight);
        context.clip();
        context.fillStyle = '#111';
        context.fillText(`${serviceOf(model, i)}: ${nameOf(model, i)}`, Math.max(x, 0) + 3, y + LevelHeight / 2);
        context.restore();
      }
    }
  }, [model, tree, version, width, levels, zoom.from, range, selected]);

  const onClick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const depth = Math.floor((event.clientY - box.top) / LevelHeight);
    const at = zoom.from + ((event.clientX - box.left) / width) * range;
    let best = -1;
    for (let i = 0; i < tree.count; i++) {
      if (tree.depth[i] === depth && model.starts[i]! <= at && at <= model.starts[i]! + model.durations[i]!) {
        best = i;
        break;
      }
    }
    if (best >= 0) onSelect(best);
  };

  return (
    <div className="flame" ref={frame}>
      {tree.maxDepth + 1 > MaxLevels && <p className="muted">Showing the first {MaxLevels} of {tree.maxDepth + 1} levels.</p>}
      <canvas ref={canvas} onClick={onClick} role="img" aria-label="Flame graph of the trace; click a span to select it" />
    </div>
  );
}
