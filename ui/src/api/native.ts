import { buildUrl, getJson, segment } from './client';
import type {
  OperationsResponse,
  OtlpExportRequest,
  SearchResponse,
  ServicesResponse,
  TagsResponse,
  TagValuesResponse,
  TraceQLSearchResponse,
} from './types';

/** The search form's fields, named as /api/v1/search takes them. */
export interface SearchParams {
  service?: string;
  name?: string;
  kind?: string;
  status?: string;
  minDuration?: string;
  maxDuration?: string;
  start?: string;
  end?: string;
  limit?: number;
  attr?: readonly string[];
}

export const searchTraces = (params: SearchParams, signal?: AbortSignal) =>
  getJson<SearchResponse>(buildUrl('/api/v1/search', { ...params }), signal);

export const traceQLSearch = (q: string, range: { start?: string; end?: string; limit?: number }, signal?: AbortSignal) =>
  getJson<TraceQLSearchResponse>(buildUrl('/api/v1/traceql', { q, ...range }), signal);

export const getServices = (signal?: AbortSignal) => getJson<ServicesResponse>('/api/v1/services', signal);

export const getOperations = (service: string, signal?: AbortSignal) =>
  getJson<OperationsResponse>(`/api/v1/services/${segment(service)}/operations`, signal);

export const getTags = (signal?: AbortSignal) => getJson<TagsResponse>('/api/v1/tags', signal);

export const getTagValues = (key: string, limit = 100, signal?: AbortSignal) =>
  getJson<TagValuesResponse>(buildUrl(`/api/v1/tags/${segment(key)}/values`, { limit }), signal);

/** The whole trace as OTLP/JSON (small traces; the trace page reads the outline instead). */
export const getTrace = (traceId: string, signal?: AbortSignal) =>
  getJson<OtlpExportRequest>(`/api/v1/traces/${segment(traceId)}`, signal);

/** One span with its resource and scope, as an OTLP/JSON request holding just that span. */
export const getSpan = (traceId: string, spanId: string, signal?: AbortSignal) =>
  getJson<OtlpExportRequest>(`/api/v1/traces/${segment(traceId)}/spans/${segment(spanId)}`, signal);
