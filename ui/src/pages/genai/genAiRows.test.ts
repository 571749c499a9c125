import { describe, expect, it } from 'vitest';
import { genAiRows, genAiTotals, isGenAiSort, type GenAiModel } from './genAiRows';

const model = (name: string, extra: Partial<GenAiModel> = {}): GenAiModel => ({
  system: 'openai',
  model: name,
  operation: 'chat',
  calls: 10,
  errorCount: 1,
  inputTokens: 1200,
  outputTokens: 800,
  p50Nanos: 400_000_000,
  p95Nanos: 900_000_000,
  services: ['support', 'assistant'],
  ...extra,
});

describe('GenAI rows', () => {
  it('derives error % and tokens per call', () => {
    const [row] = genAiRows([model('gpt-4o')]);
    expect(row).toMatchObject({ errorPercent: 10, tokensPerCall: 200, services: 'assistant, support' });
    expect(genAiRows([model('idle', { calls: 0, errorCount: 0 })])[0]).toMatchObject({ errorPercent: 0, tokensPerCall: 0 });
  });

  it('sorts by the chosen column, most first, ties by model', () => {
    const models = [
      model('small', { calls: 50, inputTokens: 100, outputTokens: 100, p95Nanos: 1 }),
      model('large', { calls: 5, errorCount: 4, inputTokens: 90_000, outputTokens: 10_000 }),
      model('medium', { calls: 50 }),
    ];
    expect(genAiRows(models).map((r) => r.model)).toEqual(['medium', 'small', 'large']);
    expect(genAiRows(models, 'tokens').map((r) => r.model)).toEqual(['large', 'medium', 'small']);
    expect(genAiRows(models, 'errors').map((r) => r.model)).toEqual(['large', 'medium', 'small']);
    expect(genAiRows(models, 'p95').map((r) => r.model)).toEqual(['large', 'medium', 'small']);
  });

  it('sums the totals and recognises sort names from the URL', () => {
    expect(genAiTotals(genAiRows([model('a'), model('b', { calls: 3, errorCount: 0 })]))).toEqual({ calls: 13, errorCount: 1, inputTokens: 2400, outputTokens: 1600 });
    expect(isGenAiSort('tokens')).toBe(true);
    expect(isGenAiSort('price')).toBe(false);
  });
});
