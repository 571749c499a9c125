/// <reference lib="webworker" />
// Fetches a trace's outline chunk by chunk, parses each and builds the span tree off the main
// thread, handing columns and tree over as transferable typed arrays: a million-span trace never
// freezes the tab.
import { ApiError, buildUrl, getJson } from '../api/client';
import type { OutlineChunk } from '../api/types';
import { decodeChunk, type DecodedChunk } from './model';
import { buildTree, type TraceTree } from './tree';

export type OutlineRequest = { traceId: string; firstLimit: number; limit: number };
export type OutlineMessage =
  | { type: 'chunk'; chunk: DecodedChunk }
  /** The tree of the first `tree.count` spans (every chunk before this message). */
  | { type: 'tree'; tree: TraceTree }
  | { type: 'done' }
  | { type: 'error'; status: number; url: string; message: string };

// While chunks stream in the tree is rebuilt at most this often; the last chunk always gets one.
const TreeIntervalMs = 300;

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<OutlineRequest>) => {
  const { traceId, firstLimit, limit } = event.data;
  let offset = 0;
  let total = Infinity;
  let url = '';
  let parents = new Int32Array(0);
  let starts = new Float64Array(0);
  let lastTree = -Infinity;
  try {
    const request = (at: number) => {
      const address = buildUrl(`/api/v1/traces/${encodeURIComponent(traceId)}/outline`, { offset: at, limit: at === 0 ? firstLimit : limit });
      const answer = getJson<OutlineChunk>(address);
      answer.catch(() => undefined); // awaited below; a loop ended by an earlier error must not leave it unhandled
      return { address, answer };
    };
    let next = request(0);
    while (offset < total) {
      url = next.address;
      const raw = await next.answer;
      // The next chunk is asked for before this one is decoded, so the server writes while we parse.
      const following = offset + (raw.spanIds?.length ?? 0);
      if (raw.spanIds?.length && following < raw.spanCount) next = request(following);
      const chunk = decodeChunk(raw);
      if (offset === 0) {
        total = chunk.total;
        parents = new Int32Array(total);
        starts = new Float64Array(total);
      } else if (chunk.total !== total || chunk.offset !== offset) {
        throw new Error(`The trace changed while it was read (chunk at ${chunk.offset} of ${chunk.total} spans, expected ${offset} of ${total}); reload.`);
      }
      const n = chunk.spanIds.length;
      if (offset + n > total) throw new Error(`Outline chunk at ${offset} runs past the trace's ${total} spans.`);
      for (let i = 0; i < n; i++) {
        const p = chunk.parents[i]!;
        parents[offset + i] = p >= 0 && p < offset + i ? p : -1;
        starts[offset + i] = chunk.starts[i]!;
      }
      const transfer = [chunk.parents, chunk.serviceIndexes, chunk.nameIndexes, chunk.starts, chunk.durations, chunk.statuses, chunk.kinds, chunk.flags].map((a) => a.buffer);
      scope.postMessage({ type: 'chunk', chunk } satisfies OutlineMessage, transfer);
      offset += n;
      const last = n === 0 || offset >= total;
      if (last || performance.now() - lastTree > TreeIntervalMs) {
        const tree = buildTree(parents, starts, offset);
        lastTree = performance.now();
        const buffers = [tree.order, tree.position, tree.parent, tree.depth, tree.size, tree.childCount, tree.firstChild, tree.children].map((a) => a.buffer);
        scope.postMessage({ type: 'tree', tree } satisfies OutlineMessage, buffers);
      }
      if (n === 0) break;
    }
    scope.postMessage({ type: 'done' } satisfies OutlineMessage);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'error', status, url, message } satisfies OutlineMessage);
  }
};
