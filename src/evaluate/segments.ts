import type { CsrMatrix } from '../data/csr.js';

/**
 * Shopper segments the issue reports beside the overall figures: cold
 * shoppers (few training pairs) and heavy shoppers (the most training pairs).
 */
export interface SegmentOptions {
  /** Cold: at most this many training pairs (default 5). */
  coldMaxTrain?: number;
  /** Heavy: the top fraction of test shoppers by training pairs (default 0.1). */
  heavyFraction?: number;
}

export interface Segments {
  /** cold[userIdx] = 1 for a cold test shopper. */
  cold: Uint8Array;
  /** heavy[userIdx] = 1 for a heavy test shopper. */
  heavy: Uint8Array;
  /** Training pairs a shopper needs to count as heavy. */
  heavyMinTrain: number;
}

/**
 * Segments the test shoppers `users` by their training pairs (row lengths of
 * `train`). Heavy = the shoppers with at least as many training pairs as the
 * ceil(heavyFraction * n)-th heaviest test shopper: a threshold, so shoppers
 * tied at it are all heavy and the segment can exceed the fraction slightly.
 */
export function segmentUsers(users: Int32Array, train: CsrMatrix, opts: SegmentOptions = {}): Segments {
  const coldMax = opts.coldMaxTrain ?? 5;
  const fraction = opts.heavyFraction ?? 0.1;
  const cold = new Uint8Array(train.nRows);
  const heavy = new Uint8Array(train.nRows);
  const counts = Array.from(users, (u) => train.rowLength(u)).sort((a, b) => b - a);
  const nHeavy = Math.ceil(fraction * users.length);
  const heavyMinTrain = nHeavy === 0 ? Infinity : Math.max(1, counts[nHeavy - 1]!);
  for (const u of users) {
    const c = train.rowLength(u);
    if (c <= coldMax) cold[u] = 1;
    if (c >= heavyMinTrain) heavy[u] = 1;
  }
  return { cold, heavy, heavyMinTrain };
}
