import { describe, expect, it } from 'vitest';
import { applySuggestion, offsetOf, suggest } from './traceqlSuggest';

const keys = ['http.route', 'http.response.status_code', 'db.system', 'service.name'];
const labels = (q: string, cursor = q.length) => suggest(q, cursor, keys).map((s) => s.label);

describe('TraceQL autocomplete', () => {
  it('offers scopes and intrinsics where a field starts', () => {
    const all = labels('{ ');
    expect(all).toContain('span.');
    expect(all).toContain('resource.');
    expect(all).toContain('duration');
    expect(labels('{ st')).toEqual(['status', 'statusMessage']);
    expect(labels('{ status = error && re')).toEqual(['resource.']);
  });

  it('offers attribute names after a scope, filtered by what is typed', () => {
    expect(labels('{ span.http.')).toEqual(['span.http.route', 'span.http.response.status_code']);
    expect(labels('{ resource.serv')).toEqual(['resource.service.name']);
    expect(labels('{ nosuchscope.h')).toEqual([]);
  });

  it('offers the values of status and kind after a comparison', () => {
    expect(labels('{ status = ')).toEqual(['error', 'ok', 'unset']);
    expect(labels('{ kind != se')).toEqual(['server']);
  });

  it('offers nothing outside braces or inside a string', () => {
    expect(labels('')).toEqual([]);
    expect(labels('{ } ')).toEqual([]);
    expect(labels('{ span.a = "{ ')).toEqual([]);
  });

  it('replaces the whole word around the cursor', () => {
    const q = '{ span.ht = 1 }';
    const cursor = '{ span.ht'.length;
    const s = suggest(q, cursor, keys)[0]!;
    expect(applySuggestion(q, s)).toEqual({ text: '{ span.http.route = 1 }', cursor: '{ span.http.route'.length });
  });

  it('maps an error line and column to an offset', () => {
    expect(offsetOf('{ a\n  = }', 2, 3)).toBe(6);
    expect(offsetOf('{ x }', 1, 1)).toBe(0);
    expect(offsetOf('{ x }', 9, 1)).toBe(5);
  });
});
