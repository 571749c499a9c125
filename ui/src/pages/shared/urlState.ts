import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Reads and patches a page's query parameters: every piece of page state lives there so a link
 * can be shared. A patch value of `undefined`, `''` or the field's default removes the parameter.
 */
export function patchParams(
  params: URLSearchParams,
  patch: Record<string, string | undefined>,
  defaults: Record<string, string> = {},
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '' || value === defaults[key]) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** `useSearchParams` with {@link patchParams}; each change is a new history entry, so Back undoes it. */
export function useUrlState(defaults: Record<string, string> = {}) {
  const [params, setParams] = useSearchParams();
  const get = useCallback((key: string): string => params.get(key) ?? defaults[key] ?? '', [params, defaults]);
  const patch = useCallback(
    (values: Record<string, string | undefined>) => setParams((current) => patchParams(current, values, defaults)),
    [setParams, defaults],
  );
  return { params, get, patch, setParams };
}
