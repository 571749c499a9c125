import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, getJson } from './client';

describe('buildUrl', () => {
  it('leaves out empty values and repeats arrays', () => {
    expect(buildUrl('/api/v1/search', { service: 'cart', name: '', limit: 20, attr: ['a=1', 'b=c d'], end: undefined })).toBe(
      '/api/v1/search?service=cart&limit=20&attr=a%3D1&attr=b%3Dc+d',
    );
    expect(buildUrl('/api/v1/services', {})).toBe('/api/v1/services');
  });
});

describe('getJson', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns a 400 body into an ApiError carrying the server message and position', async () => {
    const body = { error: "Parameter 'q' is not valid TraceQL: line 1, column 12", parameter: 'q', line: 1, column: 12 };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status: 400 }));
    const error = await getJson('/api/v1/traceql?q=x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).body?.column).toBe(12);
    expect((error as ApiError).message).toContain("Parameter 'q'");
    expect((error as ApiError).retryable).toBe(false);
  });

  it('reports an unreachable server as retryable status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await getJson('/api/v1/services').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('could not be reached');
  });

  it('keeps a plain-text error body as the message', async () => {
    vi.stubGlobal('fetch', async () => new Response('Nothing here answers GET /x', { status: 404 }));
    const error = (await getJson('/x').catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('404 Nothing here answers GET /x');
  });
});
