/**
 * The relevant items of one shopper, as the ranking metrics accept them:
 * a Set of item indices, or an Int32Array of item indices sorted ascending
 * (e.g. a row of a CsrMatrix, which is sorted and unique by construction).
 */
export type RelevantItems = ReadonlySet<number> | Int32Array;

/** Membership test and size over either representation. */
export interface Relevance {
  readonly size: number;
  has(itemIdx: number): boolean;
}

/** Binary search in a sorted Int32Array. */
export function sortedHas(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Wraps a Set or a sorted Int32Array as a Relevance. */
export function relevance(rel: RelevantItems): Relevance {
  if (rel instanceof Int32Array) return { size: rel.length, has: (i) => sortedHas(rel, i) };
  return rel;
}
