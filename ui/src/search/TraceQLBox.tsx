import { useMemo, useRef, useState } from 'react';
import type { ApiError } from '../api/client';
import { applySuggestion, offsetOf, suggest, type Suggestion } from './traceqlSuggest';

/**
 * The TraceQL query box: autocompletes scopes, intrinsics and attribute names (Tab or Enter takes
 * the highlighted one, Ctrl+Enter runs the query), and shows a parse error under the column it names.
 */
export function TraceQLBox({
  value,
  onChange,
  onRun,
  attributeKeys,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  onRun: (value: string) => void;
  attributeKeys: readonly string[];
  error: ApiError | null;
}) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const suggestions = useMemo(() => (open ? suggest(value, cursor, attributeKeys) : []), [open, value, cursor, attributeKeys]);

  const take = (s: Suggestion) => {
    const next = applySuggestion(value, s);
    onChange(next.text);
    setCursor(next.cursor);
    setActive(0);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(next.cursor, next.cursor);
      input.current?.focus();
    });
  };

  const position = error?.body?.parameter === 'q' && error.body.line && error.body.column ? { line: error.body.line, column: error.body.column } : null;
  const errorLine = position ? value.split('\n')[position.line - 1] ?? '' : '';

  return (
    <div className="traceql">
      <div className="traceql-input">
        <textarea
          ref={input}
          className="mono"
          rows={2}
          spellCheck={false}
          aria-label="TraceQL query"
          placeholder='{ resource.service.name = "checkout" && status = error }'
          value={value}
          onChange={(event) => {
            onChange(event.target.value);
            setCursor(event.target.selectionStart);
            setOpen(true);
            setActive(0);
          }}
          onClick={(event) => setCursor(event.currentTarget.selectionStart)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              setOpen(false);
              onRun(value);
            } else if (suggestions.length > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
              event.preventDefault();
              setActive((a) => (a + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
            } else if (suggestions.length > 0 && (event.key === 'Tab' || event.key === 'Enter')) {
              event.preventDefault();
              take(suggestions[active] ?? suggestions[0]!);
            } else if (event.key === 'Escape') setOpen(false);
            else if (event.key === ' ' && event.ctrlKey) {
              event.preventDefault();
              setOpen(true);
            }
          }}
          onKeyUp={(event) => setCursor(event.currentTarget.selectionStart)}
        />
        {suggestions.length > 0 && (
          <ul className="suggestions" role="listbox" aria-label="Suggestions">
            {suggestions.map((s, i) => (
              <li
                key={s.label}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  take(s);
                }}
              >
                <span className="mono">{s.label}</span> <span className="muted">{s.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {position && (
        <div className="traceql-error" role="alert">
          <pre className="mono">
            {errorLine}
            {'\n'}
            {' '.repeat(Math.max(0, offsetOf(value, position.line, position.column) - offsetOf(value, position.line, 1)))}^
          </pre>
          <span className="error-text">
            {error?.body?.error}
          </span>
        </div>
      )}
    </div>
  );
}
