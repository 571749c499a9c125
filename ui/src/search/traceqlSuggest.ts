/** A completion for the TraceQL box: the text to put in place of [from, to). */
export interface Suggestion {
  label: string;
  insert: string;
  from: number;
  to: number;
  detail: string;
}

export const scopes = ['span.', 'resource.', 'event.', 'link.', 'instrumentation.', '.'];

export const intrinsics = [
  'name',
  'status',
  'statusMessage',
  'kind',
  'duration',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'span:name',
  'span:status',
  'span:kind',
  'span:duration',
  'span:id',
  'span:parentID',
  'trace:rootName',
  'trace:rootService',
  'trace:duration',
  'trace:id',
  'event:name',
  'link:traceID',
  'nestedSetParent',
];

const enumValues: Record<string, string[]> = {
  status: ['error', 'ok', 'unset'],
  'span:status': ['error', 'ok', 'unset'],
  kind: ['server', 'client', 'producer', 'consumer', 'internal', 'unspecified'],
  'span:kind': ['server', 'client', 'producer', 'consumer', 'internal', 'unspecified'],
};

const MaxSuggestions = 30;

/**
 * What may come at `cursor` in `query`: inside a spanset (`{ … }`) where a field is expected, the
 * scopes, intrinsics and attribute names (`span.http.route`, from the tag catalog); after a scope,
 * the attribute names under it; after `status =` or `kind =`, their values. Nothing outside braces.
 */
export function suggest(query: string, cursor: number, attributeKeys: readonly string[]): Suggestion[] {
  const before = query.slice(0, cursor);
  if (!insideBraces(before)) return [];

  // The word being typed: letters, digits and . _ : - / (attribute names hold all of these).
  const word = /[\w.:\-/]*$/.exec(before)?.[0] ?? '';
  const from = cursor - word.length;
  const to = cursor + (/^[\w.:\-/]*/.exec(query.slice(cursor))?.[0].length ?? 0);
  const previous = before.slice(0, from).trimEnd();

  // After a comparison, values: for an enum field, its values.
  const comparison = /([\w.:]+)\s*(=|!=)\s*$/.exec(previous);
  if (comparison) {
    const values = enumValues[comparison[1]!] ?? [];
    return values.filter((v) => v.startsWith(word)).map((v) => ({ label: v, insert: v, from, to, detail: 'value' }));
  }
  // A field goes after `{`, `(`, `&&`, `||`, `!` or at the very start inside the braces.
  if (!/(\{|\(|&&|\|\||!)$/.test(previous)) return [];

  const lower = word.toLowerCase();
  const dot = word.indexOf('.');
  const out: Suggestion[] = [];
  if (dot >= 0) {
    const scope = word.slice(0, dot + 1);
    if (!scopes.includes(scope)) return [];
    const prefix = word.slice(dot + 1).toLowerCase();
    for (const key of attributeKeys) {
      if (key.toLowerCase().startsWith(prefix)) out.push({ label: scope + key, insert: scope + key, from, to, detail: 'attribute' });
      if (out.length >= MaxSuggestions) break;
    }
    return out;
  }
  for (const scope of scopes) if (scope.startsWith(lower) && scope !== '.') out.push({ label: scope, insert: scope, from, to, detail: 'scope' });
  for (const name of intrinsics) if (name.toLowerCase().startsWith(lower)) out.push({ label: name, insert: name, from, to, detail: 'intrinsic' });
  if (lower.length > 0) {
    for (const key of attributeKeys) {
      if (out.length >= MaxSuggestions) break;
      if (key.toLowerCase().startsWith(lower)) out.push({ label: `span.${key}`, insert: `span.${key}`, from, to, detail: 'attribute' });
    }
  }
  return out.slice(0, MaxSuggestions);
}

/** Whether the text ends inside an open `{`, ignoring braces in string literals. */
function insideBraces(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return depth > 0 && quote === null;
}

/** Applies a suggestion: the new text and where the cursor goes. */
export function applySuggestion(query: string, s: Suggestion): { text: string; cursor: number } {
  return { text: query.slice(0, s.from) + s.insert + query.slice(s.to), cursor: s.from + s.insert.length };
}

/** The character offset of a 1-based line and column (the positions the API's 400 answers carry). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
