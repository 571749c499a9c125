// Links into the pages ui-core owns, in one place so their URL parameters are spelled once here.

/** The Search page in TraceQL mode with `query` in the box, run at once. */
export function traceQLSearchLink(query: string): string {
  return `/search?${new URLSearchParams({ mode: 'traceql', q: query }).toString()}`;
}

export const traceLink = (traceId: string): string => `/trace/${encodeURIComponent(traceId)}`;
