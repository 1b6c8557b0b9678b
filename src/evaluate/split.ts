import { CsrMatrix } from '../data/csr.js';
import type { InteractionPairs } from '../data/interactions.js';

/**
 * A train/test split over unique (shopper, item) pairs (data/interactions.ts).
 * Because the unit is the pair, a test item is never also a training item of
 * the same shopper.
 */

/** How a split is cut; the seed and item facts come from SplitContext. */
export type SplitOptions =
  | { kind: 'leave-last-out'; /** Shoppers with fewer pairs stay entirely in training (default 2). */ minPairs?: number }
  | { kind: 'time-cutoff'; /** Share of pairs (by time) kept for training, in (0, 1). */ fraction: number }
  | { kind: 'time-cutoff'; /** Pairs whose last event is at or after this Unix ms time are test. */ at: number }
  | { kind: 'random'; testFraction: number }
  | { kind: 'stratified'; testFraction: number }
  | { kind: 'cold-items'; /** Share of the items with interactions held out entirely, in (0, 1). */ fraction: number };

export type SplitKind = SplitOptions['kind'];

/** What a split may need beyond the pairs. */
export interface SplitContext {
  /** Seed of the random and stratified splits (default 0). */
  seed?: number;
  /** Category code per item (-1 none), for the stratified split. */
  itemCategory?: Int32Array;
  /**
   * Leave-last-out tie rule: among a shopper's pairs with the same last
   * timestamp, the larger tieKey[item] counts as later; default the item
   * index itself (see itemIdTieKey for "the larger item id").
   */
  tieKey?: ArrayLike<number>;
}

export interface Split {
  /** Printable description, e.g. "leave-last-out" or "random-0.2". */
  protocol: string;
  options: SplitOptions;
  context: SplitContext;
  /** The pairs every index below points into. */
  pairs: InteractionPairs;
  /** Training pair indices, ascending. */
  train: Int32Array;
  /** Test pair indices, ascending. */
  testPairs: Int32Array;
  /** Per-shopper relevant items: row u holds shopper u's test items (sorted); empty rows are not tested. */
  test: CsrMatrix;
}

/** Printable name of a split, parseable back by parseProtocol (protocol.ts). */
export function splitLabel(options: SplitOptions): string {
  switch (options.kind) {
    case 'leave-last-out':
      return 'leave-last-out';
    case 'time-cutoff':
      return 'fraction' in options ? `time-cutoff-${options.fraction}` : `time-cutoff@${new Date(options.at).toISOString()}`;
    case 'random':
      return `random-${options.testFraction}`;
    case 'stratified':
      return `stratified-${options.testFraction}`;
    case 'cold-items':
      return `cold-items-${options.fraction}`;
  }
}

/** Builds a Split from the candidate pair indices and a test flag per pair. */
export function splitFromFlags(
  pairs: InteractionPairs,
  subset: Int32Array,
  isTest: Uint8Array,
  options: SplitOptions,
  context: SplitContext,
): Split {
  let nTest = 0;
  for (const p of subset) nTest += isTest[p]!;
  const train = new Int32Array(subset.length - nTest);
  const testPairs = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (const p of subset) {
    if (isTest[p] === 1) testPairs[b++] = p;
    else train[a++] = p;
  }
  train.sort();
  testPairs.sort();
  const users = new Int32Array(nTest);
  const items = new Int32Array(nTest);
  testPairs.forEach((p, k) => {
    users[k] = pairs.user[p]!;
    items[k] = pairs.item[p]!;
  });
  const test = CsrMatrix.fromCoo(pairs.nUsers, pairs.nItems, users, items);
  return { protocol: splitLabel(options), options, context, pairs, train, testPairs, test };
}

/** Every pair index, ascending. */
export function allPairs(pairs: InteractionPairs): Int32Array {
  return Int32Array.from({ length: pairs.user.length }, (_, p) => p);
}

/** Number of training pairs per shopper. */
export function trainCounts(split: Split): Int32Array {
  const counts = new Int32Array(split.pairs.nUsers);
  for (const p of split.train) counts[split.pairs.user[p]!]!++;
  return counts;
}

/** The shoppers with at least one test item, ascending. */
export function testUsers(split: Split): Int32Array {
  const out: number[] = [];
  for (let u = 0; u < split.test.nRows; u++) if (split.test.rowLength(u) > 0) out.push(u);
  return Int32Array.from(out);
}
