import { fail } from '../core/errors.js';
import type { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import type { InteractionPairs } from '../data/interactions.js';
import { allPairs, splitFromFlags, type Split, type SplitContext, type SplitOptions } from './split.js';

/**
 * The four splitters: leave-last-out by time, a global time cutoff, random
 * ratio and stratified by item category. Each works over `subset` (pair
 * indices; default every pair), so the validation split is the same splitter
 * run over the training pairs. "When" a pair happened is its last event
 * (lastTs): the time the shopper last touched the item. Using the last event
 * hides everything a test pair knows, so no training signal leaks from it.
 */

/**
 * Leave-last-out (the reference ML-100k protocol): each shopper's latest pair
 * is the test pair. Timestamp ties: the larger tieKey[item] (default the item
 * index) counts as later. Shoppers with fewer than `minPairs` pairs (default
 * 2: a lone pair would leave no history to recommend from) stay entirely in
 * training and are not tested. On ML-100k (every shopper has >= 20 ratings)
 * this gives 943 test and 99,057 training pairs.
 */
export function leaveLastOut(
  pairs: InteractionPairs,
  opts: { minPairs?: number } = {},
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  const minPairs = opts.minPairs ?? 2;
  const tieKey = context.tieKey;
  const isTest = new Uint8Array(pairs.user.length);
  const latest = new Int32Array(pairs.nUsers).fill(-1);
  const count = new Int32Array(pairs.nUsers);
  for (const p of subset) {
    const u = pairs.user[p]!;
    count[u]!++;
    const q = latest[u]!;
    if (q < 0 || later(pairs, tieKey, p, q)) latest[u] = p;
  }
  for (let u = 0; u < pairs.nUsers; u++) if (count[u]! >= minPairs) isTest[latest[u]!] = 1;
  return splitFromFlags(pairs, subset, isTest, { kind: 'leave-last-out', minPairs }, context);
}

/** Whether pair p happened after pair q: later last event, then larger tie key, then larger item index. */
function later(pairs: InteractionPairs, tieKey: ArrayLike<number> | undefined, p: number, q: number): boolean {
  const dt = pairs.lastTs[p]! - pairs.lastTs[q]!;
  if (dt !== 0) return dt > 0;
  const ip = pairs.item[p]!;
  const iq = pairs.item[q]!;
  const dk = tieKey === undefined ? 0 : (tieKey[ip] ?? ip) - (tieKey[iq] ?? iq);
  return dk !== 0 ? dk > 0 : ip > iq;
}

/**
 * A global time cutoff: pairs whose last event is at or after the cutoff are
 * test. `{ fraction }` puts the cutoff at the time of the pair at position
 * floor(fraction * n) in time order, so about `fraction` of the pairs train
 * (pairs tied at the cutoff time all go to test). Shoppers first seen after
 * the cutoff are tested with no training history (they fall in "cold").
 */
export function globalTimeCutoff(
  pairs: InteractionPairs,
  opts: { fraction: number } | { at: number },
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  let at: number;
  if ('fraction' in opts) {
    checkFraction(opts.fraction, 'time-cutoff fraction');
    const times = Float64Array.from(subset, (p) => pairs.lastTs[p]!).sort();
    at = times[Math.floor(opts.fraction * times.length)] ?? Infinity;
  } else {
    if (!Number.isFinite(opts.at)) fail('INVALID_ARGUMENT', `time cutoff must be a finite Unix ms time, got ${opts.at}`);
    at = opts.at;
  }
  const isTest = new Uint8Array(pairs.user.length);
  for (const p of subset) if (pairs.lastTs[p]! >= at) isTest[p] = 1;
  return splitFromFlags(pairs, subset, isTest, { kind: 'time-cutoff', ...opts } as SplitOptions, context);
}

/** Random ratio: round(testFraction * n) pairs drawn uniformly (seeded) go to test. */
export function randomRatio(
  pairs: InteractionPairs,
  opts: { testFraction: number },
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  checkFraction(opts.testFraction, 'testFraction');
  const rng = Rng.derive(context.seed ?? 0, 'split:random');
  const isTest = new Uint8Array(pairs.user.length);
  markRandom(Array.from(subset), opts.testFraction, rng, isTest);
  return splitFromFlags(pairs, subset, isTest, { kind: 'random', testFraction: opts.testFraction }, context);
}

/**
 * Stratified by item category: within each category (items without one form
 * their own stratum) round(testFraction * n_c) pairs, drawn uniformly
 * (seeded), go to test, so every category keeps the same test share.
 */
export function stratifiedByCategory(
  pairs: InteractionPairs,
  opts: { testFraction: number },
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  checkFraction(opts.testFraction, 'testFraction');
  const cats = context.itemCategory;
  if (cats === undefined || cats.length !== pairs.nItems) {
    fail('INVALID_ARGUMENT', 'a stratified split needs a category code per item', {
      hint: 'pass context.itemCategory (e.g. the "category" field of buildItemContent)',
    });
  }
  const strata = new Map<number, number[]>();
  for (const p of subset) {
    const c = cats[pairs.item[p]!]!;
    const list = strata.get(c) ?? [];
    list.push(p);
    strata.set(c, list);
  }
  const rng = Rng.derive(context.seed ?? 0, 'split:stratified');
  const isTest = new Uint8Array(pairs.user.length);
  for (const c of [...strata.keys()].sort((a, b) => a - b)) markRandom(strata.get(c)!, opts.testFraction, rng, isTest);
  return splitFromFlags(pairs, subset, isTest, { kind: 'stratified', testFraction: opts.testFraction }, context);
}

/**
 * Cold-start items (He and McAuley 2016, VBPR, section 5.3; Kang et al.
 * 2017, DVBPR): a seeded `fraction` of the items that have pairs in `subset`
 * is held out entirely, so they have no training interactions; every pair
 * with one of them is a test pair. Candidates are the evaluator's usual ones
 * (full ranking: every item outside the shopper's training pairs, warm and
 * cold alike), so a model must both lift the right new product above the
 * known ones and order the new products among themselves. Shoppers whose
 * pairs all fall on held-out items are tested with no history (cold shoppers).
 */
export function coldItems(
  pairs: InteractionPairs,
  opts: { fraction: number },
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  checkFraction(opts.fraction, 'cold-items fraction');
  const used = new Uint8Array(pairs.nItems);
  for (const p of subset) used[pairs.item[p]!] = 1;
  const candidates: number[] = [];
  for (let i = 0; i < pairs.nItems; i++) if (used[i] === 1) candidates.push(i);
  const held = new Uint8Array(pairs.nItems);
  markRandom(candidates, opts.fraction, Rng.derive(context.seed ?? 0, 'split:cold-items'), held);
  const isTest = new Uint8Array(pairs.user.length);
  for (const p of subset) if (held[pairs.item[p]!] === 1) isTest[p] = 1;
  return splitFromFlags(pairs, subset, isTest, { kind: 'cold-items', fraction: opts.fraction }, context);
}

/** Runs the splitter named by `options` over `subset`. */
export function makeSplit(
  pairs: InteractionPairs,
  options: SplitOptions,
  context: SplitContext = {},
  subset: Int32Array = allPairs(pairs),
): Split {
  switch (options.kind) {
    case 'leave-last-out':
      return leaveLastOut(pairs, options, context, subset);
    case 'time-cutoff':
      return globalTimeCutoff(pairs, options, context, subset);
    case 'random':
      return randomRatio(pairs, options, context, subset);
    case 'stratified':
      return stratifiedByCategory(pairs, options, context, subset);
    case 'cold-items':
      return coldItems(pairs, options, context, subset);
  }
}

/**
 * A validation split cut from `split`'s training pairs the same way: for
 * leave-last-out each shopper's last training pair; for a time cutoff the
 * same training share of the training pairs (an absolute cutoff becomes the
 * share it produced); for random and stratified the same test fraction with
 * a derived seed. Test items of `split` are never seen.
 */
export function validationSplit(split: Split): Split {
  const { options, context } = split;
  const seed = ((context.seed ?? 0) + 0x9e3779b9) >>> 0;
  if (options.kind === 'time-cutoff' && 'at' in options) {
    const total = split.train.length + split.testPairs.length;
    const fraction = total === 0 ? 0.5 : split.train.length / total;
    return globalTimeCutoff(split.pairs, { fraction: clampFraction(fraction) }, context, split.train);
  }
  return makeSplit(split.pairs, options, { ...context, seed }, split.train);
}

/**
 * Tie keys that make "the larger item id" the later pair, as the reference
 * protocol words it: numeric order when every id is a number (MovieLens),
 * else string order. Independent of the order items were imported in.
 */
export function itemIdTieKey(items: IdMap): Float64Array {
  const ids = items.toArray();
  const numeric = ids.every((id) => /^-?\d+(\.\d+)?$/.test(id));
  if (numeric) return Float64Array.from(ids, Number);
  const order = ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const key = new Float64Array(ids.length);
  order.forEach((i, rank) => (key[i] = rank));
  return key;
}

function markRandom(candidates: number[], fraction: number, rng: Rng, isTest: Uint8Array): void {
  rng.shuffle(candidates);
  const nTest = Math.round(fraction * candidates.length);
  for (let k = 0; k < nTest; k++) isTest[candidates[k]!] = 1;
}

function checkFraction(f: number, what: string): void {
  if (!(f > 0 && f < 1)) fail('INVALID_ARGUMENT', `${what} must be in (0, 1), got ${f}`);
}

function clampFraction(f: number): number {
  return Math.min(0.99, Math.max(0.01, f));
}
