/** Everything the trace page shows, as it sits in the URL's query (`/trace/{id}?span=…&view=…`). */
export interface TraceViewState {
  view: 'waterfall' | 'flame' | 'stats';
  /** The selected span's id. */
  span?: string;
  /** The zoom window, ns from the trace start; both or neither. */
  window?: { from: number; to: number };
  find?: string;
  /** Collapsed spans by id (kept short: at most MaxCollapsedInUrl). */
  collapsed: string[];
}

export const MaxCollapsedInUrl = 200;

const views = ['waterfall', 'flame', 'stats'] as const;
const spanIdPattern = /^[0-9a-f]{16}$/;

export function parseTraceState(params: URLSearchParams): TraceViewState {
  const view = params.get('view');
  const span = params.get('span')?.toLowerCase();
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const hasWindow = params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from && from >= 0;
  return {
    view: views.find((v) => v === view) ?? 'waterfall',
    span: span && spanIdPattern.test(span) ? span : undefined,
    window: hasWindow ? { from, to } : undefined,
    find: params.get('find') || undefined,
    collapsed: (params.get('collapsed') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => spanIdPattern.test(s))
      .slice(0, MaxCollapsedInUrl),
  };
}

export function traceStateToParams(state: TraceViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.view !== 'waterfall') params.set('view', state.view);
  if (state.span) params.set('span', state.span);
  if (state.window) {
    params.set('from', String(Math.round(state.window.from)));
    params.set('to', String(Math.round(state.window.to)));
  }
  if (state.find) params.set('find', state.find);
  if (state.collapsed.length > 0) params.set('collapsed', state.collapsed.slice(0, MaxCollapsedInUrl).join(','));
  return params;
}
