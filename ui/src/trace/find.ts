import type { TraceModel } from './model';
import type { TraceTree } from './tree';

/**
 * Spans whose name, service or span id contains `text` (case-insensitive), in display order.
 * Matches tables first: a million spans share a few thousand names, so each span costs one lookup.
 */
export function findSpans(model: TraceModel, tree: TraceTree, text: string): Int32Array {
  const needle = text.trim().toLowerCase();
  if (!needle) return new Int32Array(0);
  const nameHit = model.names.map((n) => n.toLowerCase().includes(needle));
  const serviceHit = model.services.map((s) => s.toLowerCase().includes(needle));
  const idSearch = /^[0-9a-f]+$/.test(needle);
  const hits: number[] = [];
  for (let p = 0; p < tree.count; p++) {
    const i = tree.order[p]!;
    if (nameHit[model.nameIndexes[i]!] || serviceHit[model.serviceIndexes[i]!] || (idSearch && model.spanIds[i]!.includes(needle))) hits.push(i);
  }
  return Int32Array.from(hits);
}
