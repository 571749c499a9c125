// The JSON the server answers: the native API (docs/api.md) and the analysis contract
// (issue #11). Timestamps are Unix nanoseconds as strings; durations are numbers of nanoseconds.

/** A 400/404/503 body of the native API. */
export interface ApiErrorBody {
  error: string;
  parameter?: string;
  line?: number;
  column?: number;
  expected?: string;
}

// ---- native API ----

export interface SearchServiceCount {
  name: string;
  spanCount: number;
  errorCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  durationNanos: number;
  spanCount: number;
  errorCount: number;
  services: SearchServiceCount[];
}

export interface SearchResponse {
  traces: TraceSummary[];
}

export interface ServicesResponse {
  services: string[];
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';

export interface OperationsResponse {
  operations: { name: string; kind: SpanKindName }[];
}

export interface TagsResponse {
  tags: string[];
}

export interface TagValuesResponse {
  values: string[];
}

/** Tempo's search answer, which /api/v1/traceql returns as is. */
export interface TraceQLSearchResponse {
  traces?: {
    traceID: string;
    rootServiceName?: string;
    rootTraceName?: string;
    startTimeUnixNano: string;
    durationMs?: number;
    spanSet?: { spans: { spanID: string; name?: string; startTimeUnixNano: string; durationNanos: string }[]; matched: number };
    spanSets?: { spans: { spanID: string }[]; matched: number }[];
  }[];
  metrics?: { inspectedTraces?: number; inspectedSpans?: string };
}

// ---- OTLP/JSON (one span's detail, /api/v1/traces/{id}/spans/{spanId}) ----

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: OtlpKeyValue[];
  flags?: number;
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  events?: OtlpEvent[];
  droppedEventsCount?: number;
  links?: OtlpLink[];
  droppedLinksCount?: number;
  status?: { code?: number | string; message?: string };
}

export interface OtlpExportRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[]; droppedAttributesCount?: number };
    schemaUrl?: string;
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] };
      schemaUrl?: string;
      spans?: OtlpSpan[];
    }[];
  }[];
}

// ---- UI outline (/api/v1/traces/{id}/outline) ----

/**
 * One chunk of a trace's outline, columnar: entry i of every array is the span at `offset + i`.
 * Spans come in tree order (depth first, children by start), so a parent always precedes its children.
 */
export interface OutlineChunk {
  traceId: string;
  /** Spans in the whole trace. */
  spanCount: number;
  offset: number;
  /** The earliest span start, the origin of every `startOffsetNanos`. */
  startTimeUnixNano: string;
  durationNanos: number;
  /** This chunk's own service and span-name tables: the strings its spans use, indexed by serviceIndexes/nameIndexes. */
  services: string[];
  names: string[];
  spanIds: string[];
  /** Index (in the whole outline) of the span's parent; -1 for a root or a span whose parent is missing. */
  parents: number[];
  serviceIndexes: number[];
  nameIndexes: number[];
  /** Nanoseconds from `startTimeUnixNano`. */
  startOffsetNanos: number[];
  spanDurationNanos: number[];
  /** 0 unset, 1 ok, 2 error (OTLP status codes). */
  statuses: number[];
  /** OTLP span kinds: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kinds: number[];
  /** Bit 1: the span names a parent that is not in the trace; bit 2: has events; bit 4: has links. */
  flags: number[];
}

// ---- analysis contract (issue #11) ----

export interface CriticalPathSegment {
  spanId: string;
  service: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNanos: number;
}

export interface CriticalPathResponse {
  traceId: string;
  durationNanos: number;
  segments: CriticalPathSegment[];
  spans: { spanId: string; criticalNanos: number }[];
}

export type FindingKind =
  | 'missingParent'
  | 'orphan'
  | 'endBeforeStart'
  | 'neverEnded'
  | 'childOutsideParent'
  | 'mixedSampling'
  | 'duplicateSpanId'
  | 'clockSkew'
  | 'multipleRoots';

export type Severity = 'error' | 'warning' | 'info';

export interface HealthFinding {
  kind: FindingKind;
  severity: Severity;
  title: string;
  message: string;
  spanIds: string[];
  services: string[];
}

export interface SkewAdjustment {
  spanId: string;
  service: string;
  host: string;
  shiftNanos: number;
  message: string;
}

export interface TraceHealthResponse {
  traceId: string;
  spanCount: number;
  rootSpanIds: string[];
  depth: number;
  findings: HealthFinding[];
  skewAdjustments: SkewAdjustment[];
}

export interface CompareSide {
  traceId: string | null;
  rootService: string;
  rootName: string;
  durationNanos: number;
  spanCount: number;
  sampleCount?: number;
}

export interface CompareOperation {
  path: string[];
  service: string;
  name: string;
  change: 'added' | 'removed' | 'changed' | 'same';
  leftCount: number;
  rightCount: number;
  leftDurationNanos: number;
  rightDurationNanos: number;
}

export interface CompareResponse {
  left: CompareSide;
  right: CompareSide;
  operations: CompareOperation[];
}

export type NodeType = 'service' | 'database' | 'messaging' | 'external';

export interface ServiceGraphNode {
  id: string;
  name: string;
  type: NodeType;
  ratePerSecond: number;
  errorPercent: number;
}

export interface ServiceGraphEdge {
  caller: string;
  callee: string;
  connectionType: 'call' | 'messaging' | 'database' | 'external';
  count: number;
  errorCount: number;
  ratePerSecond: number;
  errorPercent: number;
  p50Nanos: number;
  p90Nanos: number;
  p95Nanos: number;
  p99Nanos: number;
}

export interface ServiceGraphResponse {
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
}

export interface RedTotals {
  count: number;
  errorCount: number;
  ratePerSecond: number;
  errorRatio: number;
  p50Nanos: number | null;
  p90Nanos: number | null;
  p95Nanos: number | null;
  p99Nanos: number | null;
}

export interface RedPoint extends RedTotals {
  startTimeUnixNano: string;
}

export interface ServiceRedResponse {
  service: string;
  stepSeconds: number;
  total: RedTotals;
  points: RedPoint[];
}

export interface OperationsRedResponse {
  service: string;
  stepSeconds: number;
  operations: { name: string; kind: SpanKindName; total: RedTotals; points: RedPoint[] }[];
}

export interface NamingFinding {
  suggestedName: string;
  reason: 'id' | 'uuid' | 'number' | 'url' | 'sql' | 'hex';
  distinctNames: number;
  examples: string[];
  message: string;
}

export interface NamingHealthResponse {
  services: { service: string; distinctNames: number; tracked: boolean; findings: NamingFinding[] }[];
}

export interface TriageAttribute {
  scope: 'span' | 'resource';
  key: string;
  value: string;
  selectionCount: number;
  selectionPercent: number;
  baselineCount: number;
  baselinePercent: number;
  score: number;
  traceQL: string;
}

export interface TriageResponse {
  selection: { description: string; spanCount: number };
  baseline: { description: string; spanCount: number };
  attributes: TriageAttribute[];
}

export interface GenAiResponse {
  models: {
    system: string;
    model: string;
    operation: string;
    calls: number;
    errorCount: number;
    inputTokens: number;
    outputTokens: number;
    p50Nanos: number;
    p95Nanos: number;
    services: string[];
  }[];
}
