// Service colours: a fixed palette readable on both themes, picked by a hash of the name so a
// service keeps its colour across pages and reloads.
const palette = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f',
  '#86bcb6', '#8cd17d', '#f1ce63', '#a0cbe8', '#ffbe7d', '#d37295', '#bab0ac', '#499894',
];

export function serviceColor(service: string): string {
  let hash = 2166136261;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return palette[(hash >>> 0) % palette.length] ?? '#888888';
}
