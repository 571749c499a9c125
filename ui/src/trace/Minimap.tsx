import { useEffect, useRef, useState } from 'react';
import type { TraceModel } from './model';
import type { TraceTree } from './tree';

const Height = 56;

/**
 * The whole trace in miniature (time across, rows down, density as opacity), with the zoom window
 * drawn over it: drag to zoom, double-click to see everything. Drawn from a difference array, so a
 * million spans cost one pass however wide they are.
 */
export function Minimap({
  model,
  tree,
  version,
  width,
  window: zoom,
  onZoom,
}: {
  model: TraceModel;
  tree: TraceTree;
  version: number;
  width: number;
  window: { from: number; to: number };
  onZoom: (window: { from: number; to: number } | undefined) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const total = Math.max(1, model.durationNanos);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || width <= 0) return;
    const w = Math.floor(width);
    const h = Height;
    const cover = new Float32Array((w + 1) * h);
    const count = tree.count;
    for (let p = 0; p < count; p++) {
      const i = tree.order[p]!;
      const y = Math.min(h - 1, Math.floor((p * h) / count));
      const x0 = Math.max(0, Math.min(w - 1, Math.floor((model.starts[i]! / total) * w)));
      const x1 = Math.max(x0 + 1, Math.min(w, Math.ceil(((model.starts[i]! + model.durations[i]!) / total) * w)));
      cover[y * (w + 1) + x0]! += 1;
      cover[y * (w + 1) + x1]! -= 1;
    }
    const image = context.createImageData(w, h);
    const accent = getComputedStyle(element).getPropertyValue('--accent').trim() || '#2f64d6';
    const [r, g, b] = parseColor(accent);
    const rowsPerPixel = Math.max(1, count / h);
    for (let y = 0; y < h; y++) {
      let run = 0;
      for (let x = 0; x < w; x++) {
        run += cover[y * (w + 1) + x]!;
        const at = (y * w + x) * 4;
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = run > 0 ? Math.min(255, 60 + (195 * run) / rowsPerPixel) : 0;
      }
    }
    element.width = w;
    element.height = h;
    context.putImageData(image, 0, 0);
  }, [model, tree, version, width, total]);

  const toNanos = (x: number) => Math.max(0, Math.min(total, (x / width) * total));
  const x = (event: React.PointerEvent) => event.clientX - (event.currentTarget as HTMLElement).getBoundingClientRect().left;
  const shown = drag ? { from: toNanos(Math.min(drag.x0, drag.x1)), to: toNanos(Math.max(drag.x0, drag.x1)) } : zoom;

  return (
    <div
      className="minimap"
      style={{ width, height: Height }}
      title="Drag to zoom; double-click to see the whole trace"
      onPointerDown={(event) => {
        (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
        setDrag({ x0: x(event), x1: x(event) });
      }}
      onPointerMove={(event) => drag && setDrag({ ...drag, x1: x(event) })}
      onPointerUp={() => {
        if (drag && Math.abs(drag.x1 - drag.x0) > 3) onZoom({ from: toNanos(Math.min(drag.x0, drag.x1)), to: toNanos(Math.max(drag.x0, drag.x1)) });
        setDrag(null);
      }}
      onDoubleClick={() => onZoom(undefined)}
    >
      <canvas ref={canvas} />
      <div className="minimap-window" style={{ left: (shown.from / total) * width, width: Math.max(2, ((shown.to - shown.from) / total) * width) }} />
    </div>
  );
}

function parseColor(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return [47, 100, 214];
  const n = parseInt(hex[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
