import type { OutlineChunk } from '../api/types';

/**
 * A trace's outline, columnar, growing as chunks arrive. Index i is the span at position i of the
 * server's outline (tree order). Typed arrays keep a million spans in tens of megabytes and let a
 * worker hand chunks over without copying.
 */
export interface TraceModel {
  traceId: string;
  /** Spans the whole trace has (the arrays are allocated for all of them). */
  total: number;
  /** Spans received so far: entries 0..count-1 are filled. */
  count: number;
  startTimeUnixNano: string;
  durationNanos: number;
  services: string[];
  names: string[];
  spanIds: string[];
  parents: Int32Array;
  serviceIndexes: Int32Array;
  nameIndexes: Int32Array;
  starts: Float64Array;
  durations: Float64Array;
  statuses: Uint8Array;
  kinds: Uint8Array;
  flags: Uint8Array;
}

/** Outline flags, as the server sets them. */
export const MissingParentFlag = 1;
export const HasEventsFlag = 2;
export const HasLinksFlag = 4;

export const StatusError = 2;

/** One chunk decoded into typed arrays, ready to append (and to transfer from a worker). */
export interface DecodedChunk {
  traceId: string;
  total: number;
  offset: number;
  startTimeUnixNano: string;
  durationNanos: number;
  services: string[];
  names: string[];
  spanIds: string[];
  parents: Int32Array;
  serviceIndexes: Int32Array;
  nameIndexes: Int32Array;
  starts: Float64Array;
  durations: Float64Array;
  statuses: Uint8Array;
  kinds: Uint8Array;
  flags: Uint8Array;
}

/** Checks a chunk's shape and turns its columns into typed arrays; throws naming the column at fault. */
export function decodeChunk(chunk: OutlineChunk): DecodedChunk {
  const n = chunk.spanIds?.length;
  if (typeof n !== 'number') throw new Error('Outline chunk has no spanIds column.');
  const column = (name: keyof OutlineChunk): number[] => {
    const values = chunk[name];
    if (!Array.isArray(values) || values.length !== n) {
      throw new Error(`Outline chunk column ${String(name)} has ${Array.isArray(values) ? values.length : 'no'} entries, expected ${n}.`);
    }
    return values as number[];
  };
  const serviceIndexes = Int32Array.from(column('serviceIndexes'));
  const nameIndexes = Int32Array.from(column('nameIndexes'));
  for (let i = 0; i < n; i++) {
    if (serviceIndexes[i]! < 0 || serviceIndexes[i]! >= chunk.services.length) throw new Error(`Outline chunk span ${chunk.offset + i} names service ${serviceIndexes[i]}, not in its table.`);
    if (nameIndexes[i]! < 0 || nameIndexes[i]! >= chunk.names.length) throw new Error(`Outline chunk span ${chunk.offset + i} names name ${nameIndexes[i]}, not in its table.`);
  }
  return {
    traceId: chunk.traceId,
    total: chunk.spanCount,
    offset: chunk.offset,
    startTimeUnixNano: chunk.startTimeUnixNano,
    durationNanos: chunk.durationNanos,
    services: chunk.services,
    names: chunk.names,
    spanIds: chunk.spanIds,
    parents: Int32Array.from(column('parents')),
    serviceIndexes,
    nameIndexes,
    starts: Float64Array.from(column('startOffsetNanos')),
    durations: Float64Array.from(column('spanDurationNanos')),
    statuses: Uint8Array.from(column('statuses')),
    kinds: Uint8Array.from(column('kinds')),
    flags: Uint8Array.from(column('flags')),
  };
}

export function emptyModel(first: DecodedChunk): TraceModel {
  const total = first.total;
  return {
    traceId: first.traceId,
    total,
    count: 0,
    startTimeUnixNano: first.startTimeUnixNano,
    durationNanos: first.durationNanos,
    services: [],
    names: [],
    spanIds: new Array<string>(total),
    parents: new Int32Array(total).fill(-1),
    serviceIndexes: new Int32Array(total),
    nameIndexes: new Int32Array(total),
    starts: new Float64Array(total),
    durations: new Float64Array(total),
    statuses: new Uint8Array(total),
    kinds: new Uint8Array(total),
    flags: new Uint8Array(total),
  };
}

/**
 * Appends a chunk (which must start where the model ends), mapping the chunk's own service and
 * name tables onto the model's. Returns the model, mutated: rebuilding arrays per chunk would cost
 * a million copies each time.
 */
export function appendChunk(model: TraceModel, chunk: DecodedChunk, lookup = tableLookups(model)): TraceModel {
  if (chunk.traceId !== model.traceId || chunk.total !== model.total) {
    throw new Error(`Outline chunk at ${chunk.offset} belongs to a different read of the trace (${chunk.total} spans, not ${model.total}); reload.`);
  }
  if (chunk.offset !== model.count) throw new Error(`Outline chunk starts at ${chunk.offset}, expected ${model.count}.`);
  const n = chunk.spanIds.length;
  if (chunk.offset + n > model.total) throw new Error(`Outline chunk at ${chunk.offset} runs past the trace's ${model.total} spans.`);
  const serviceMap = chunk.services.map((s) => intern(model.services, lookup.services, s));
  const nameMap = chunk.names.map((s) => intern(model.names, lookup.names, s));
  for (let i = 0; i < n; i++) {
    const at = chunk.offset + i;
    const parent = chunk.parents[i]!;
    model.spanIds[at] = chunk.spanIds[i]!;
    // A parent must come earlier in the outline; anything else is treated as a root, not trusted.
    model.parents[at] = parent >= 0 && parent < at ? parent : -1;
    model.serviceIndexes[at] = serviceMap[chunk.serviceIndexes[i]!]!;
    model.nameIndexes[at] = nameMap[chunk.nameIndexes[i]!]!;
    model.starts[at] = chunk.starts[i]!;
    model.durations[at] = chunk.durations[i]!;
    model.statuses[at] = chunk.statuses[i]!;
    model.kinds[at] = chunk.kinds[i]!;
    model.flags[at] = chunk.flags[i]!;
  }
  model.count = chunk.offset + n;
  return model;
}

export interface TableLookups {
  services: Map<string, number>;
  names: Map<string, number>;
}

export function tableLookups(model: TraceModel): TableLookups {
  return {
    services: new Map(model.services.map((s, i) => [s, i])),
    names: new Map(model.names.map((s, i) => [s, i])),
  };
}

function intern(table: string[], lookup: Map<string, number>, value: string): number {
  let index = lookup.get(value);
  if (index === undefined) {
    index = table.length;
    table.push(value);
    lookup.set(value, index);
  }
  return index;
}

export const serviceOf = (model: TraceModel, i: number): string => model.services[model.serviceIndexes[i]!] ?? '';
export const nameOf = (model: TraceModel, i: number): string => model.names[model.nameIndexes[i]!] ?? '';

/** Builds a model from plain spans (tests, fixtures): parents given as span ids. */
export function modelFromSpans(
  traceId: string,
  spans: { id: string; parent?: string; service: string; name: string; start: number; duration: number; error?: boolean }[],
): TraceModel {
  const index = new Map(spans.map((s, i) => [s.id, i]));
  const services: string[] = [];
  const names: string[] = [];
  const chunk: OutlineChunk = {
    traceId,
    spanCount: spans.length,
    offset: 0,
    startTimeUnixNano: '0',
    durationNanos: Math.max(0, ...spans.map((s) => s.start + s.duration)),
    services,
    names,
    spanIds: spans.map((s) => s.id),
    parents: spans.map((s) => (s.parent !== undefined && index.has(s.parent) ? index.get(s.parent)! : -1)),
    serviceIndexes: spans.map((s) => (services.includes(s.service) ? services.indexOf(s.service) : services.push(s.service) - 1)),
    nameIndexes: spans.map((s) => (names.includes(s.name) ? names.indexOf(s.name) : names.push(s.name) - 1)),
    startOffsetNanos: spans.map((s) => s.start),
    spanDurationNanos: spans.map((s) => s.duration),
    statuses: spans.map((s) => (s.error ? StatusError : 0)),
    kinds: spans.map(() => 1),
    flags: spans.map((s) => (s.parent !== undefined && !index.has(s.parent) ? MissingParentFlag : 0)),
  };
  const decoded = decodeChunk(chunk);
  // Parents may come later than children here; the model keeps them as given for the tree builder.
  const model = emptyModel(decoded);
  appendChunk(model, { ...decoded, parents: new Int32Array(decoded.parents.length).fill(-1) });
  model.parents.set(decoded.parents);
  return model;
}
