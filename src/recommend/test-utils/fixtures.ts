import { Rng } from '../../core/rng.js';
import { CsrMatrix } from '../../data/csr.js';
import type { ItemContent } from '../../data/item-content.js';
import type { TrainData } from '../recommender.js';

/**
 * Synthetic training data for the recommender tests (never real datasets).
 */

const TOPIC_WORDS = [
  ['silk', 'evening', 'gown', 'elegant'],
  ['denim', 'rugged', 'jeans', 'workwear'],
  ['wool', 'winter', 'knit', 'cosy'],
  ['linen', 'summer', 'breezy', 'beach'],
  ['leather', 'biker', 'jacket', 'studded'],
  ['cotton', 'sporty', 'jersey', 'running'],
] as const;

/** Item content where item i belongs to topic topicOf[i]: category, a price band and topic words in the caption. */
export function topicContent(topicOf: Int32Array, rng: Rng): ItemContent {
  const n = topicOf.length;
  const nTopics = Math.max(...topicOf) + 1;
  const words = (t: number): readonly string[] => TOPIC_WORDS[t % TOPIC_WORDS.length]!;
  const price = Float32Array.from(topicOf, (t) => 10 + 100 * t + rng.uniform(0, 20));
  const text = Array.from(topicOf, (t, i) => {
    const w = words(t);
    return `${rng.pick(w)} ${rng.pick(w)} ${rng.pick(w)} item${i} ${t >= TOPIC_WORDS.length ? `topic${t}` : ''}`.trim();
  });
  return {
    nItems: n,
    categorical: [{ name: 'category', vocab: Array.from({ length: nTopics }, (_, t) => `c${t}`), codes: topicOf.slice() }],
    numeric: [{ name: 'price', values: price }],
    text,
  };
}

/**
 * Two disjoint groups: users [0, nUsers/2) interact only with items
 * [0, nItems/2), the rest only with the other half. Each user sees a random
 * `fraction` of their own block; `heldOut[u]` is one further own-block item
 * kept out of training (the known answer: it must outrank every item of the
 * other block).
 */
export function twoBlocks(seed: number, nUsers = 40, nItems = 30, fraction = 0.5): TrainData & { heldOut: Int32Array; blockOf: Int32Array } {
  const rng = new Rng(seed);
  const half = nItems / 2;
  const blockOf = Int32Array.from({ length: nItems }, (_, i) => (i < half ? 0 : 1));
  const rows: number[] = [];
  const cols: number[] = [];
  const heldOut = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const b = u < nUsers / 2 ? 0 : 1;
    const own = rng.shuffle(Array.from({ length: half }, (_, t) => b * half + t));
    heldOut[u] = own[0]!;
    const take = Math.max(2, Math.round(fraction * half));
    for (const i of own.slice(1, 1 + take)) {
      rows.push(u);
      cols.push(i);
    }
  }
  const ui = CsrMatrix.fromCoo(nUsers, nItems, rows, cols);
  return { ui, content: topicContent(blockOf, rng), heldOut, blockOf };
}

/**
 * Planted low-rank structure: `nTopics` item topics; each shopper has a
 * Dirichlet taste over topics and draws `perUser` distinct items with
 * probability ∝ taste[topic(i)] · popularity(i). One random interaction per
 * shopper is held out (`test`); `ui` holds the rest.
 */
export function plantedTopics(
  seed: number,
  nUsers = 300,
  nItems = 120,
  nTopics = 6,
  perUser = 20,
): TrainData & { test: Int32Array; topicOf: Int32Array } {
  const rng = new Rng(seed);
  const topicOf = Int32Array.from({ length: nItems }, (_, i) => i % nTopics);
  const pop = Float64Array.from({ length: nItems }, () => rng.gamma(2));
  const rows: number[] = [];
  const cols: number[] = [];
  const test = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const taste = rng.dirichlet(nTopics, 0.2);
    const w = Float64Array.from(pop, (p, i) => p * taste[topicOf[i]!]!);
    const picked: number[] = [];
    for (let t = 0; t < perUser; t++) {
      let i = rng.weightedIndex(w);
      // weightedIndex can fall through to the last index on rounding; never pick an item twice.
      if (w[i] === 0) i = w.indexOf(Math.max(...w));
      picked.push(i);
      w[i] = 0;
    }
    const h = rng.int(picked.length);
    test[u] = picked[h]!;
    picked.forEach((i, t) => {
      if (t !== h) {
        rows.push(u);
        cols.push(i);
      }
    });
  }
  return { ui: CsrMatrix.fromCoo(nUsers, nItems, rows, cols), content: topicContent(topicOf, rng), test, topicOf };
}

/** HR@k of held-out items: the share of users whose test item is in their top k (seen items removed). */
export function hitRate(lists: { k: number; items: Int32Array }, test: Int32Array, k: number): number {
  let hits = 0;
  for (let u = 0; u < test.length; u++) {
    for (let p = 0; p < k; p++) if (lists.items[u * lists.k + p] === test[u]) hits++;
  }
  return hits / test.length;
}
