import { buildUrl, getJson, segment } from './client';
import type {
  CompareResponse,
  CriticalPathResponse,
  GenAiResponse,
  NamingHealthResponse,
  OperationsRedResponse,
  ServiceGraphResponse,
  ServiceRedResponse,
  TraceHealthResponse,
  TriageResponse,
} from './types';

/** `start`/`end` as Unix ns digits or RFC 3339, `step` as a duration (`60s`): see the analysis contract. */
export interface TimeRange {
  start?: string;
  end?: string;
  step?: string;
}

export const getCriticalPath = (traceId: string, signal?: AbortSignal) =>
  getJson<CriticalPathResponse>(`/api/v1/traces/${segment(traceId)}/critical-path`, signal);

export const getTraceHealth = (traceId: string, signal?: AbortSignal) =>
  getJson<TraceHealthResponse>(`/api/v1/traces/${segment(traceId)}/health`, signal);

/** `other` is a trace id or the word `typical`. */
export const compareTraces = (traceId: string, other: string, range: TimeRange = {}, signal?: AbortSignal) =>
  getJson<CompareResponse>(buildUrl(`/api/v1/traces/${segment(traceId)}/compare/${segment(other)}`, { ...range }), signal);

export const getServiceGraph = (range: TimeRange = {}, signal?: AbortSignal) =>
  getJson<ServiceGraphResponse>(buildUrl('/api/v1/service-graph', { start: range.start, end: range.end }), signal);

export const getServiceRed = (service: string, range: TimeRange = {}, signal?: AbortSignal) =>
  getJson<ServiceRedResponse>(buildUrl(`/api/v1/services/${segment(service)}/red`, { ...range }), signal);

export const getOperationsRed = (service: string, range: TimeRange = {}, signal?: AbortSignal) =>
  getJson<OperationsRedResponse>(buildUrl(`/api/v1/services/${segment(service)}/operations/red`, { ...range }), signal);

export const getNamingHealth = (service?: string, signal?: AbortSignal) =>
  getJson<NamingHealthResponse>(buildUrl('/api/v1/naming-health', { service }), signal);

export interface TriageParams extends TimeRange {
  selection: string;
  service?: string;
  operation?: string;
  baseline?: 'rest' | 'previous';
  limit?: number;
}

export const getTriage = (params: TriageParams, signal?: AbortSignal) =>
  getJson<TriageResponse>(buildUrl('/api/v1/triage', { ...params }), signal);

export const getGenAi = (range: TimeRange = {}, signal?: AbortSignal) =>
  getJson<GenAiResponse>(buildUrl('/api/v1/genai', { start: range.start, end: range.end }), signal);
