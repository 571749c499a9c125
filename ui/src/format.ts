// Formatting of nanosecond times and durations for display.

/** `1.5 ms`, `2.31 s`, `850 µs`: three significant figures, the unit chosen by size. */
export function formatDuration(nanos: number): string {
  const abs = Math.abs(nanos);
  if (abs < 1_000) return `${nanos} ns`;
  if (abs < 1_000_000) return `${trim(nanos / 1_000)} µs`;
  if (abs < 1_000_000_000) return `${trim(nanos / 1_000_000)} ms`;
  if (abs < 60_000_000_000) return `${trim(nanos / 1_000_000_000)} s`;
  const minutes = Math.floor(abs / 60_000_000_000);
  const seconds = Math.round((abs % 60_000_000_000) / 1_000_000_000);
  return `${nanos < 0 ? '-' : ''}${minutes} min ${seconds} s`;
}

function trim(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** Unix nanoseconds (as the API writes them, a string) to milliseconds for Date; loses sub-ms digits only. */
export function nanosToMillis(unixNano: string): number {
  if (!/^\d+$/.test(unixNano)) return NaN;
  return unixNano.length <= 6 ? 0 : Number(unixNano.slice(0, -6));
}

/** A local date and time with milliseconds: `2024-05-01 14:03:07.123`. */
export function formatTimestamp(unixNano: string): string {
  const ms = nanosToMillis(unixNano);
  if (!Number.isFinite(ms)) return unixNano;
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `3 minutes ago` style, for result lists. */
export function formatAgo(unixNano: string, now = Date.now()): string {
  const seconds = Math.round((now - nanosToMillis(unixNano)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** `12,345`. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');
