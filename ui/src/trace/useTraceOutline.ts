import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { appendChunk, emptyModel, tableLookups, type TableLookups, type TraceModel } from './model';
import type { OutlineMessage, OutlineRequest } from './outlineWorker';
import { buildTree, type TraceTree } from './tree';

export interface OutlineState {
  model: TraceModel | null;
  tree: TraceTree | null;
  /** Increases whenever model or tree changed (they are mutated in place). */
  version: number;
  done: boolean;
  error: ApiError | null;
  retry: () => void;
}

// The first chunk is small so the page draws at once; the rest come in large chunks.
const FirstChunk = 2_000;
const LaterChunks = 100_000;
// Rebuilding the tree is O(spans); while chunks stream in it is redone at most this often.
const RebuildIntervalMs = 400;

/** Loads a trace's outline progressively through a worker, rebuilding the tree as chunks land. */
export function useTraceOutline(traceId: string): OutlineState {
  const [state, setState] = useState<Omit<OutlineState, 'retry'>>({ model: null, tree: null, version: 0, done: false, error: null });
  const [attempt, setAttempt] = useState(0);
  const lookups = useRef<TableLookups | null>(null);

  useEffect(() => {
    const worker = new Worker(new URL('./outlineWorker.ts', import.meta.url), { type: 'module' });
    let model: TraceModel | null = null;
    let lastBuild = 0;
    let pending: number | undefined;
    let version = 0;
    setState({ model: null, tree: null, version: 0, done: false, error: null });

    const publish = (done: boolean) => {
      if (!model) return;
      const tree = buildTree(model.parents, model.starts, model.count);
      lastBuild = performance.now();
      version++;
      setState({ model, tree, version, done, error: null });
    };

    worker.onmessage = (event: MessageEvent<OutlineMessage>) => {
      const message = event.data;
      if (message.type === 'error') {
        setState((s) => ({ ...s, error: new ApiError(message.url, message.status, message.message, null) }));
        return;
      }
      if (message.type === 'done') {
        window.clearTimeout(pending);
        publish(true);
        worker.terminate();
        return;
      }
      try {
        if (!model) {
          model = emptyModel(message.chunk);
          lookups.current = tableLookups(model);
        }
        appendChunk(model, message.chunk, lookups.current ?? undefined);
      } catch (error) {
        setState((s) => ({ ...s, error: new ApiError(`/api/v1/traces/${traceId}/outline`, 0, (error as Error).message, null) }));
        worker.terminate();
        return;
      }
      if (model.count === message.chunk.spanIds.length || performance.now() - lastBuild > RebuildIntervalMs) publish(false);
      else {
        window.clearTimeout(pending);
        pending = window.setTimeout(() => publish(false), RebuildIntervalMs);
      }
    };
    worker.onerror = (event) => {
      setState((s) => ({ ...s, error: new ApiError(`/api/v1/traces/${traceId}/outline`, 0, `The outline worker failed: ${event.message}`, null) }));
    };
    worker.postMessage({ traceId, firstLimit: FirstChunk, limit: LaterChunks } satisfies OutlineRequest);
    return () => {
      window.clearTimeout(pending);
      worker.terminate();
    };
  }, [traceId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
