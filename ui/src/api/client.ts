import type { ApiErrorBody } from './types';

/**
 * Why a request to the server failed, in words for the page: the HTTP status and the server's
 * own message (which names the parameter, and for TraceQL the line and column), or the network
 * failure when the server could not be reached at all.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly url: string;
  readonly body: ApiErrorBody | null;

  constructor(url: string, status: number, message: string, body: ApiErrorBody | null) {
    super(message);
    this.name = 'ApiError';
    this.url = url;
    this.status = status;
    this.body = body;
  }

  /** True when the server was not reached (status 0) or was unavailable (503): worth retrying. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 503 || this.status === 502 || this.status === 504;
  }
}

export type QueryValue = string | number | undefined | null | readonly string[];

/** Builds `path?query`, leaving out empty values and repeating array values (`attr=a=1&attr=b=2`). */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'object') {
      for (const item of value) if (item !== '') params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Encodes one path segment (a service name may hold `/`). */
export const segment = (value: string): string => encodeURIComponent(value);

/** GET a JSON answer; every failure becomes an {@link ApiError} the page can show with a Retry button. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(url, 0, `The server could not be reached (${reason}). Is threadline serve running?`, null);
  }
  if (!response.ok) throw await errorFrom(url, response);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(url, response.status, `The server's answer to ${url} is not valid JSON.`, null);
  }
}

async function errorFrom(url: string, response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: ApiErrorBody | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof (parsed as ApiErrorBody).error === 'string') body = parsed as ApiErrorBody;
  } catch {
    // Not JSON (a proxy's page, the wrong-port guide): the text itself is the message.
  }
  const retry = response.headers.get('Retry-After');
  const detail = body?.error ?? (text.trim().slice(0, 300) || response.statusText);
  const message =
    response.status === 503
      ? `The store is unavailable (503)${retry ? `; the server suggests retrying in ${retry} s` : ''}: ${detail}`
      : `${response.status} ${detail}`;
  return new ApiError(url, response.status, message, body);
}
