import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { appendChunk, emptyModel, tableLookups, type TableLookups, type TraceModel } from './model';
import type { OutlineMessage, OutlineRequest } from './outlineWorker';
import type { TraceTree } from './tree';

export interface OutlineState {
  model: TraceModel | null;
  tree: TraceTree | null;
  /** Increases whenever model or tree changed (the model is mutated in place). */
  version: number;
  done: boolean;
  error: ApiError | null;
  retry: () => void;
}

// The first chunk is small so the page draws at once; the rest come in large chunks.
const FirstChunk = 2_000;
const LaterChunks = 100_000;

/**
 * Loads a trace's outline progressively through a worker, which also builds the tree; the page
 * shows the spans the latest tree covers. The main thread only copies columns into place.
 */
export function useTraceOutline(traceId: string): OutlineState {
  const [state, setState] = useState<Omit<OutlineState, 'retry'>>({ model: null, tree: null, version: 0, done: false, error: null });
  const [attempt, setAttempt] = useState(0);
  const lookups = useRef<TableLookups | null>(null);

  useEffect(() => {
    const worker = new Worker(new URL('./outlineWorker.ts', import.meta.url), { type: 'module' });
    const url = `/api/v1/traces/${traceId}/outline`;
    let model: TraceModel | null = null;
    let version = 0;
    setState({ model: null, tree: null, version: 0, done: false, error: null });
    const fail = (error: ApiError) => {
      setState((s) => ({ ...s, error }));
      worker.terminate();
    };

    worker.onmessage = (event: MessageEvent<OutlineMessage>) => {
      const message = event.data;
      switch (message.type) {
        case 'error':
          fail(new ApiError(message.url, message.status, message.message, null));
          return;
        case 'done':
          setState((s) => ({ ...s, done: true, version: ++version }));
          worker.terminate();
          return;
        case 'tree':
          if (model) setState((s) => ({ ...s, model, tree: message.tree, version: ++version }));
          return;
        case 'chunk':
          try {
            if (!model) {
              model = emptyModel(message.chunk);
              lookups.current = tableLookups(model);
            }
            appendChunk(model, message.chunk, lookups.current ?? undefined);
          } catch (error) {
            fail(new ApiError(url, 0, (error as Error).message, null));
          }
      }
    };
    worker.onerror = (event) => fail(new ApiError(url, 0, `The outline worker failed: ${event.message}`, null));
    worker.postMessage({ traceId, firstLimit: FirstChunk, limit: LaterChunks } satisfies OutlineRequest);
    return () => worker.terminate();
  }, [traceId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
