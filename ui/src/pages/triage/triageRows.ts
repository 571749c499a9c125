import type { TriageAttribute } from '../../api/types';
import { traceQLSearchLink } from '../shared/links';

export type SelectionMode = 'error' | 'slow' | 'traceql';

/** The selection as the form shows it: a mode and the text that goes with it. */
export interface SelectionForm {
  mode: SelectionMode;
  /** The duration for `slow` (`500ms`), the spanset filter for `traceql`, empty for `error`. */
  text: string;
}

/** Reads the API's `selection` value (`error`, `slow:500ms`, or a TraceQL filter) back into the form. */
export function parseSelection(selection: string): SelectionForm {
  const value = selection.trim();
  if (value === '' || value === 'error') return { mode: 'error', text: '' };
  const slow = /^slow:(.*)$/.exec(value);
  if (slow) return { mode: 'slow', text: slow[1]?.trim() ?? '' };
  return { mode: 'traceql', text: value };
}

const goDuration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** The `selection` to send, or the reason the form cannot be sent yet, in words for the page. */
export function selectionParam(form: SelectionForm): { value: string } | { problem: string } {
  switch (form.mode) {
    case 'error':
      return { value: 'error' };
    case 'slow': {
      const text = form.text.trim();
      if (!goDuration.test(text)) return { problem: `'${text}' is not a duration: give a number and a unit, e.g. 500ms or 1.5s.` };
      return { value: `slow:${text}` };
    }
    case 'traceql': {
      const text = form.text.trim();
      if (!text.startsWith('{')) return { problem: 'Give a TraceQL spanset filter in braces, e.g. { span.http.response.status_code >= 500 }.' };
      return { value: text };
    }
  }
}

export interface TriageRow {
  key: string;
  /** `span.payment.method = "amex"`: how the value reads in TraceQL. */
  label: string;
  scope: TriageAttribute['scope'];
  attribute: string;
  value: string;
  selectionPercent: number;
  baselinePercent: number;
  selectionText: string;
  baselineText: string;
  /** The Search page with the value's TraceQL. */
  searchHref: string;
}

const percent = (value: number, count: number): string => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}% (${count.toLocaleString('en-US')})`;

/** One row per ranked attribute value, in the server's order (highest score first), bars clamped to 0–100 %. */
export function triageRows(attributes: readonly TriageAttribute[]): TriageRow[] {
  return attributes.map((a) => ({
    key: `${a.scope}\u0000${a.key}\u0000${a.value}`,
    label: `${a.scope}.${a.key} = ${JSON.stringify(a.value)}`,
    scope: a.scope,
    attribute: a.key,
    value: a.value,
    selectionPercent: clamp(a.selectionPercent),
    baselinePercent: clamp(a.baselinePercent),
    selectionText: percent(a.selectionPercent, a.selectionCount),
    baselineText: percent(a.baselinePercent, a.baselineCount),
    searchHref: traceQLSearchLink(a.traceQL),
  }));
}

const clamp = (value: number): number => (Number.isFinite(value) ? Math.min(Math.max(value, 0), 100) : 0);
