import { fail } from '../core/errors.js';

/**
 * A shopper known only by (item, weight) pairs, e.g. a new shopper's events
 * in the current session: validated, duplicates summed, sorted by item, so
 * models can fold it in (ALS), walk it (item-kNN) or average it (content).
 */
export interface History {
  items: Int32Array;
  weights: Float32Array;
}

/**
 * Validates a history against nItems (UNKNOWN_ID for an unknown item) and
 * merges duplicate items. `unit` names what the indices count in messages
 * (an item's fold-in passes its shoppers: "users").
 */
export function normalizeHistory(items: Int32Array, weights: Float32Array, nItems: number, unit = 'items'): History {
  if (items.length !== weights.length) {
    fail('INVALID_ARGUMENT', `history has ${items.length} items but ${weights.length} weights`);
  }
  const order = Array.from(items.keys()).sort((a, b) => items[a]! - items[b]!);
  const outItems = new Int32Array(items.length);
  const outWeights = new Float32Array(items.length);
  let n = 0;
  for (const k of order) {
    const i = items[k]!;
    const w = weights[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= nItems) fail('UNKNOWN_ID', `history index ${i} is not one of the model's ${nItems} ${unit}`);
    if (!(w > 0) || !Number.isFinite(w)) fail('INVALID_ARGUMENT', `history weights must be finite and > 0, found ${w}`);
    if (n > 0 && outItems[n - 1] === i) outWeights[n - 1]! += w;
    else {
      outItems[n] = i;
      outWeights[n] = w;
      n++;
    }
  }
  return { items: outItems.slice(0, n), weights: outWeights.slice(0, n) };
}
