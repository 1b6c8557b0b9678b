import { fail } from '../core/errors.js';
import type { EventType } from '../data/schema.js';
import type { Ranked } from './rank.js';

/**
 * Session-aware re-ranking (paper 000, 3.5: "dynamically update product
 * suggestions based on ongoing user activity"). The model's scores say what
 * a shopper likes in general; what they did in the last minutes says what
 * they are looking for now. Each candidate i gets
 *   s'(i) = z(i) + β Σ_e τ(type_e) 2^{-(now - ts_e)/h} sim(i, item_e)
 * where z is the candidate's model score standardised over the candidate
 * list (so β means the same whatever the model's scale), the sum runs over
 * the shopper's recent events e, τ weighs intent (a cart counts more than a
 * view), h is the half-life and sim is an item similarity in [0, 1] the
 * caller supplies (e.g. cosine of item factors, or shared attributes).
 * Pure and O(candidates × events); the service caps both (~50 × 20).
 */
export interface SessionEvent {
  itemIdx: number;
  type: EventType;
  /** Unix ms. */
  ts: number;
}

export interface SessionConfig {
  /** β: weight of the session term against the standardised model score (0 turns re-ranking off). */
  weight: number;
  /** h: half-life of an event's influence, in ms. */
  halfLifeMs: number;
  /** Events older than this are ignored. */
  windowMs: number;
  /** At most this many of the most recent events count. */
  maxEvents: number;
  /** τ per event type. */
  typeWeights: Readonly<Record<EventType, number>>;
}

export const SESSION_DEFAULTS: Readonly<SessionConfig> = Object.freeze({
  weight: 0.8,
  halfLifeMs: 15 * 60_000,
  windowMs: 2 * 3_600_000,
  maxEvents: 20,
  typeWeights: Object.freeze({ view: 0.5, click: 1, cart: 1.5, purchase: 0.5, rating: 0.5 }),
});

export function sessionConfig(partial: Partial<SessionConfig> = {}): Readonly<SessionConfig> {
  const c = { ...SESSION_DEFAULTS, ...partial };
  if (!(c.weight >= 0 && Number.isFinite(c.weight))) fail('INVALID_ARGUMENT', `session weight must be a finite number >= 0, got ${c.weight}`);
  if (!(c.halfLifeMs > 0) || !(c.windowMs > 0)) fail('INVALID_ARGUMENT', 'session halfLifeMs and windowMs must be > 0');
  if (!Number.isInteger(c.maxEvents) || c.maxEvents < 0) fail('INVALID_ARGUMENT', `session maxEvents must be an integer >= 0, got ${c.maxEvents}`);
  return Object.freeze(c);
}

/** The events that still count at `now`, most recent first, with their decayed weights. */
export function sessionWeights(events: readonly SessionEvent[], now: number, config: Readonly<SessionConfig>): { itemIdx: number; weight: number }[] {
  const out: { itemIdx: number; weight: number }[] = [];
  for (let k = events.length - 1; k >= 0 && out.length < config.maxEvents; k--) {
    const e = events[k]!;
    const age = Math.max(0, now - e.ts);
    if (age > config.windowMs) continue;
    const w = config.typeWeights[e.type] * Math.pow(2, -age / config.halfLifeMs);
    if (w > 0) out.push({ itemIdx: e.itemIdx, weight: w });
  }
  return out;
}

/**
 * Re-ranks `candidates` (best first) by the formula above and returns them
 * best first with the new scores. With no recent events, or weight 0, the
 * order is unchanged (scores become the standardised ones).
 */
export function sessionRerank(
  candidates: Ranked,
  events: readonly SessionEvent[],
  now: number,
  sim: (a: number, b: number) => number,
  config: Readonly<SessionConfig> = SESSION_DEFAULTS,
): Ranked {
  const n = candidates.items.length;
  const z = standardise(candidates.scores);
  const recent = config.weight > 0 ? sessionWeights(events, now, config) : [];
  if (recent.length > 0) {
    for (let c = 0; c < n; c++) {
      const i = candidates.items[c]!;
      let boost = 0;
      for (const e of recent) boost += e.weight * sim(i, e.itemIdx);
      z[c] = z[c]! + config.weight * boost;
    }
  }
  const order = Array.from({ length: n }, (_, c) => c).sort((a, b) => z[b]! - z[a]! || a - b);
  return { items: Int32Array.from(order, (c) => candidates.items[c]!), scores: Float32Array.from(order, (c) => z[c]!) };
}

function standardise(v: Float32Array): Float64Array {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]!;
  mean /= Math.max(1, n);
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (v[i]! - mean) ** 2;
  const std = Math.sqrt(sq / Math.max(1, n));
  return Float64Array.from(v, (x) => (std > 1e-12 ? (x - mean) / std : 0));
}
