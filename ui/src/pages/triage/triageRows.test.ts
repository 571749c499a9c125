import { describe, expect, it } from 'vitest';
import type { TriageAttribute } from '../../api/types';
import { parseSelection, selectionParam, triageRows } from './triageRows';

describe('triage selection', () => {
  it('round-trips the three kinds of selection through the form', () => {
    for (const selection of ['error', 'slow:500ms', '{ span.http.response.status_code >= 500 }']) {
      const form = parseSelection(selection);
      expect(selectionParam(form)).toEqual({ value: selection });
    }
    expect(parseSelection('')).toEqual({ mode: 'error', text: '' });
    expect(parseSelection('slow:1.5s')).toEqual({ mode: 'slow', text: '1.5s' });
  });

  it('explains a selection that cannot be sent', () => {
    expect(selectionParam({ mode: 'slow', text: '500' })).toEqual({ problem: "'500' is not a duration: give a number and a unit, e.g. 500ms or 1.5s." });
    expect(selectionParam({ mode: 'traceql', text: 'status = error' })).toHaveProperty('problem');
    expect(selectionParam({ mode: 'slow', text: '1h30m' })).toEqual({ value: 'slow:1h30m' });
  });
});

describe('triage rows', () => {
  const attribute: TriageAttribute = {
    scope: 'span',
    key: 'payment.method',
    value: 'amex "gold"',
    selectionCount: 110,
    selectionPercent: 91.7,
    baselineCount: 150,
    baselinePercent: 3.125,
    score: 0.886,
    traceQL: '{ span.payment.method = "amex \\"gold\\"" }',
  };

  it('shows both percentages with counts and links to Search with the TraceQL', () => {
    const [row] = triageRows([attribute]);
    expect(row?.label).toBe('span.payment.method = "amex \\"gold\\""');
    expect(row?.selectionText).toBe('92% (110)');
    expect(row?.baselineText).toBe('3.1% (150)');
    expect(row?.searchHref).toBe(`/search?mode=traceql&q=${encodeURIComponent(attribute.traceQL).replace(/%20/g, '+')}`);
    expect(new URLSearchParams(row?.searchHref.split('?')[1]).get('q')).toBe(attribute.traceQL);
  });

  it('keeps the server order and clamps the bars', () => {
    const rows = triageRows([
      { ...attribute, value: 'a', selectionPercent: 120, score: 0.9 },
      { ...attribute, value: 'b', baselinePercent: -1, score: 0.1 },
    ]);
    expect(rows.map((r) => [r.value, r.selectionPercent, r.baselinePercent])).toEqual([
      ['a', 100, 3.125],
      ['b', 91.7, 0],
    ]);
  });
});
