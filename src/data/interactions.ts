import { fail } from '../core/errors.js';
import { CsrMatrix } from './csr.js';
import type { Dataset } from './dataset.js';
import type { ItemContent } from './item-content.js';
import { EVENT_TYPES, type EventType } from './schema.js';

/**
 * Unique (shopper, item) pairs from the event log: the unit that models train
 * on and that splits divide. A shopper who viewed, then bought an item has
 * one pair; so a split puts that item either in training or in test, never
 * both, and a held-out test item is never also a training item.
 */

/** How events become pair strengths. */
export interface SignalConfig {
  /** Weight per event type, summed over a pair's events; missing types take DEFAULT_EVENT_WEIGHTS. */
  weights?: Partial<Record<EventType, number>>;
  /** Every pair gets strength 1 whatever its events (the ML-100k protocol: every rating is a positive). */
  binary?: boolean;
}

/** Default weights: stronger intent counts more (view 1, click 2, cart 4, purchase 8, rating 1). */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<EventType, number>> = Object.freeze({
  view: 1,
  click: 2,
  cart: 4,
  purchase: 8,
  rating: 1,
});

/** The binary signal of the reference protocol. */
export const BINARY_SIGNAL: Readonly<SignalConfig> = Object.freeze({ binary: true });

/** Pair columns a TrainData is built from. */
export interface PairColumns {
  user: Int32Array;
  item: Int32Array;
  strength: Float32Array;
}

/** Unique pairs sorted by (user, item); pair p is column entry p. */
export interface InteractionPairs extends PairColumns {
  nUsers: number;
  nItems: number;
  /** Time of the pair's first event (Unix ms). */
  firstTs: Float64Array;
  /** Time of the pair's last event (Unix ms): "when the shopper last touched the item". */
  lastTs: Float64Array;
  /** Number of events merged into the pair. */
  events: Int32Array;
}

export interface InteractionPairsOptions {
  /** Event rows to use (e.g. a time window); default every row. */
  rows?: Int32Array;
  signal?: SignalConfig;
}

/** Merges the chosen event rows into unique (user, item) pairs. Pairs whose strength is 0 (all their events weigh 0) are dropped. */
export function interactionPairs(dataset: Dataset, opts: InteractionPairsOptions = {}): InteractionPairs {
  const ev = dataset.events;
  const weights = typeWeights(opts.signal);
  const rows = opts.rows ?? Int32Array.from({ length: ev.user.length }, (_, k) => k);
  const nUsers = dataset.users.size;
  const nItems = dataset.items.size;
  const order = sortRowsByUserItem(rows, ev.user, ev.item, nUsers, nItems);
  const cap = order.length;
  const out = {
    user: new Int32Array(cap),
    item: new Int32Array(cap),
    strength: new Float32Array(cap),
    firstTs: new Float64Array(cap),
    lastTs: new Float64Array(cap),
    events: new Int32Array(cap),
  };
  let n = 0;
  for (let k = 0; k < order.length; ) {
    const u = ev.user[order[k]!]!;
    const i = ev.item[order[k]!]!;
    let s = 0;
    let first = Infinity;
    let last = -Infinity;
    let count = 0;
    for (; k < order.length && ev.user[order[k]!] === u && ev.item[order[k]!] === i; k++) {
      const row = order[k]!;
      s += weights[ev.type[row]!] ?? 0;
      first = Math.min(first, ev.ts[row]!);
      last = Math.max(last, ev.ts[row]!);
      count++;
    }
    if (s <= 0) continue;
    out.user[n] = u;
    out.item[n] = i;
    out.strength[n] = opts.signal?.binary === true ? 1 : s;
    out.firstTs[n] = first;
    out.lastTs[n] = last;
    out.events[n] = count;
    n++;
  }
  return {
    nUsers,
    nItems,
    user: out.user.slice(0, n),
    item: out.item.slice(0, n),
    strength: out.strength.slice(0, n),
    firstTs: out.firstTs.slice(0, n),
    lastTs: out.lastTs.slice(0, n),
    events: out.events.slice(0, n),
  };
}

/** The pairs at `indices` (pair indices, in the given order). */
export function selectPairs(pairs: InteractionPairs, indices: Int32Array): InteractionPairs {
  const pick = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(indices.length);
    for (let k = 0; k < indices.length; k++) out[k] = a[indices[k]!]!;
    return out;
  };
  return {
    nUsers: pairs.nUsers,
    nItems: pairs.nItems,
    user: pick(pairs.user),
    item: pick(pairs.item),
    strength: pick(pairs.strength),
    firstTs: pick(pairs.firstTs),
    lastTs: pick(pairs.lastTs),
    events: pick(pairs.events),
  };
}

/**
 * What models train on: structurally recommend/recommender.ts's TrainData,
 * spelled out here because data sits below recommend in the layer list.
 */
export interface PairTrainData {
  ui: CsrMatrix;
  content?: ItemContent;
}

/**
 * The training matrix (users x items, value = strength) from pair columns;
 * duplicate pairs, if any, are summed. `content` rides along for the content
 * and hybrid models.
 */
export function trainDataFromPairs(
  pairs: PairColumns,
  nUsers: number,
  nItems: number,
  content?: ItemContent,
): PairTrainData {
  const ui = CsrMatrix.fromCoo(nUsers, nItems, pairs.user, pairs.item, pairs.strength);
  return content === undefined ? { ui } : { ui, content };
}

/** Weight per event type code, validated (finite, >= 0). */
function typeWeights(signal: SignalConfig | undefined): Float64Array {
  const w = new Float64Array(EVENT_TYPES.length);
  EVENT_TYPES.forEach((t, code) => {
    const v = signal?.weights?.[t] ?? DEFAULT_EVENT_WEIGHTS[t];
    if (!Number.isFinite(v) || v < 0) fail('INVALID_ARGUMENT', `event weight for "${t}" must be a finite number >= 0, got ${v}`);
    w[code] = signal?.binary === true && v > 0 ? 1 : v;
  });
  return w;
}

/** Event rows ordered by (user, item): counting sort by item, then a stable counting sort by user. */
function sortRowsByUserItem(
  rows: Int32Array,
  user: Int32Array,
  item: Int32Array,
  nUsers: number,
  nItems: number,
): Int32Array {
  const byItem = countingSort(rows, item, nItems);
  return countingSort(byItem, user, nUsers);
}

function countingSort(rows: Int32Array, key: Int32Array, nKeys: number): Int32Array {
  const start = new Int32Array(nKeys + 1);
  for (let k = 0; k < rows.length; k++) start[key[rows[k]!]! + 1]!++;
  for (let c = 0; c < nKeys; c++) start[c + 1]! += start[c]!;
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[start[key[rows[k]!]!]!++] = rows[k]!;
  return out;
}
