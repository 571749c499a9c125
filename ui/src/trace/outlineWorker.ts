/// <reference lib="webworker" />
// Fetches a trace's outline chunk by chunk and parses each off the main thread, handing the columns
// over as transferable typed arrays, so a million-span trace never freezes the tab.
import { ApiError, buildUrl, getJson } from '../api/client';
import type { OutlineChunk } from '../api/types';
import { decodeChunk, type DecodedChunk } from './model';

export type OutlineRequest = { traceId: string; firstLimit: number; limit: number };
export type OutlineMessage =
  | { type: 'chunk'; chunk: DecodedChunk }
  | { type: 'done' }
  | { type: 'error'; status: number; url: string; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<OutlineRequest>) => {
  const { traceId, firstLimit, limit } = event.data;
  let offset = 0;
  let total = Infinity;
  let url = '';
  try {
    while (offset < total) {
      url = buildUrl(`/api/v1/traces/${encodeURIComponent(traceId)}/outline`, { offset, limit: offset === 0 ? firstLimit : limit });
      const chunk = decodeChunk(await getJson<OutlineChunk>(url));
      total = chunk.total;
      const n = chunk.spanIds.length;
      const transfer = [chunk.parents, chunk.serviceIndexes, chunk.nameIndexes, chunk.starts, chunk.durations, chunk.statuses, chunk.kinds, chunk.flags].map((a) => a.buffer);
      scope.postMessage({ type: 'chunk', chunk } satisfies OutlineMessage, transfer);
      if (n === 0) break;
      offset += n;
    }
    scope.postMessage({ type: 'done' } satisfies OutlineMessage);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'error', status, url, message } satisfies OutlineMessage);
  }
};
