/** The response sizes of the comparison (issue 6: 0 B, 1 KB, 64 KB) and their parsing from `--sizes`. */
import type { ResponseSize } from './types.js';

export const ALL_SIZES: ResponseSize[] = [
  { label: '0B', bytes: 0 },
  { label: '1KB', bytes: 1024 },
  { label: '64KB', bytes: 65536 },
];

/** Parses `0B,1KB` (labels, case-insensitive) into sizes, in the canonical order. */
export function parseSizes(text: string): ResponseSize[] {
  const wanted = text.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const w of wanted) {
    if (!ALL_SIZES.some((s) => s.label.toUpperCase() === w)) throw new Error(`unknown size '${w}' (known: ${ALL_SIZES.map((s) => s.label).join(', ')})`);
  }
  return ALL_SIZES.filter((s) => wanted.includes(s.label.toUpperCase()));
}

/** The path the backend serves a size at; every arm ends up asking the backend for this. */
export function backendPath(size: ResponseSize): string {
  return `/size/${size.bytes}`;
}
