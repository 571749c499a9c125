/** Time-axis ticks for a window of a trace, in ns from the trace start. */
export interface Tick {
  /** ns from the trace start. */
  offset: number;
  /** Pixels from the left edge of the axis. */
  x: number;
  label: string;
}

/** The smallest step of 1, 2 or 5 × 10^k ns that keeps ticks at least `minSpacingPx` apart. */
export function niceStep(rangeNanos: number, widthPx: number, minSpacingPx = 80): number {
  if (!(rangeNanos > 0) || !(widthPx > 0)) return 1;
  const maxTicks = Math.max(1, Math.floor(widthPx / minSpacingPx));
  const raw = rangeNanos / maxTicks;
  let magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (;;) {
    for (const m of [1, 2, 5]) {
      const step = m * magnitude;
      if (step >= raw) return Math.max(1, step);
    }
    magnitude *= 10;
  }
}

/** Ticks at multiples of the step inside [from, to], placed on an axis `widthPx` wide. */
export function timeTicks(from: number, to: number, widthPx: number, minSpacingPx = 80): Tick[] {
  const range = to - from;
  if (!(range > 0) || !(widthPx > 0)) return [];
  const step = niceStep(range, widthPx, minSpacingPx);
  const ticks: Tick[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + step * 1e-9; t += step) {
    ticks.push({ offset: t, x: ((t - from) / range) * widthPx, label: formatOffset(t, step) });
  }
  return ticks;
}

/** An offset in the unit that suits the step: `0`, `250µs`, `1.5ms`, `2s`. */
export function formatOffset(nanos: number, step: number): string {
  if (nanos === 0) return '0';
  // The unit of ten steps, so labels read 0.2ms, 0.4ms rather than 200µs, 400µs … 1400µs.
  const span = step * 10;
  const [unit, scale] = span >= 1e9 ? ['s', 1e9] : span >= 1e6 ? ['ms', 1e6] : span >= 1e3 ? ['µs', 1e3] : ['ns', 1];
  const digits = Math.max(0, Math.ceil(-Math.log10(step / scale) - 1e-9));
  return `${(nanos / scale).toFixed(Math.min(digits, 3))}${unit}`;
}
