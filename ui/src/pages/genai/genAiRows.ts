import type { GenAiResponse } from '../../api/types';

export type GenAiModel = GenAiResponse['models'][number];

export interface GenAiRow {
  key: string;
  system: string;
  model: string;
  operation: string;
  services: string;
  calls: number;
  errorCount: number;
  errorPercent: number;
  inputTokens: number;
  outputTokens: number;
  /** Input plus output tokens per call, rounded; 0 without calls. */
  tokensPerCall: number;
  p50Nanos: number;
  p95Nanos: number;
}

export type GenAiSort = 'calls' | 'tokens' | 'errors' | 'p95';

/** One row per system, model and operation; sorted by the chosen column, most first (calls by default, as the server sends them). */
export function genAiRows(models: readonly GenAiModel[], sort: GenAiSort = 'calls'): GenAiRow[] {
  const rows = models.map((m) => ({
    key: `${m.system}\u0000${m.model}\u0000${m.operation}`,
    system: m.system,
    model: m.model,
    operation: m.operation,
    services: [...m.services].sort().join(', '),
    calls: m.calls,
    errorCount: m.errorCount,
    errorPercent: m.calls > 0 ? (m.errorCount / m.calls) * 100 : 0,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    tokensPerCall: m.calls > 0 ? Math.round((m.inputTokens + m.outputTokens) / m.calls) : 0,
    p50Nanos: m.p50Nanos,
    p95Nanos: m.p95Nanos,
  }));
  const by: Record<GenAiSort, (r: GenAiRow) => number> = {
    calls: (r) => r.calls,
    tokens: (r) => r.inputTokens + r.outputTokens,
    errors: (r) => r.errorPercent,
    p95: (r) => r.p95Nanos,
  };
  const value = by[sort];
  // A stable tie-break (model, then operation) keeps rows from jumping between loads.
  return rows.sort((a, b) => value(b) - value(a) || a.model.localeCompare(b.model) || a.operation.localeCompare(b.operation));
}

/** The totals line under the table. */
export function genAiTotals(rows: readonly GenAiRow[]): { calls: number; errorCount: number; inputTokens: number; outputTokens: number } {
  return rows.reduce(
    (sum, r) => ({
      calls: sum.calls + r.calls,
      errorCount: sum.errorCount + r.errorCount,
      inputTokens: sum.inputTokens + r.inputTokens,
      outputTokens: sum.outputTokens + r.outputTokens,
    }),
    { calls: 0, errorCount: 0, inputTokens: 0, outputTokens: 0 },
  );
}

export const isGenAiSort = (value: string): value is GenAiSort => value === 'calls' || value === 'tokens' || value === 'errors' || value === 'p95';
