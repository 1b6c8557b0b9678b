import { fail } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Ranked } from './rank.js';

/**
 * Exploration over a slate (issue: "a bandit (Thompson sampling or
 * epsilon-greedy) with a configurable exploration weight"). The model ranks
 * candidates; the bandit decides how far the shown slate departs from that
 * ranking to learn about items whose click-through rate is uncertain.
 *
 * - Thompson sampling (Thompson 1933; Chapelle and Li 2011): each candidate's
 *   CTR has a Beta(a0 + clicks, b0 + impressions - clicks) posterior; one
 *   draw θ_i per candidate per request. The slate is the top k of
 *     (1 - w) rel_i + w θ̃_i
 *   where rel_i is the model score min-max scaled over the candidates and θ̃
 *   the draws min-max scaled likewise, so w = 0 is the model's order and
 *   w = 1 pure Thompson sampling.
 * - Epsilon-greedy (Sutton and Barto 2018, 2.2): each slot, with probability
 *   ε = w, takes a uniformly drawn candidate from the rest of the list instead
 *   of the next best.
 * Impressions and clicks are logged by the caller (the service) so CTR can be
 * computed; the counts feed back here as `stats`.
 */
export type BanditStrategy = 'thompson' | 'epsilon-greedy';

export interface BanditConfig {
  strategy: BanditStrategy;
  /** w in [0, 1]: 0 shows the model's ranking, 1 explores fully. */
  explorationWeight: number;
  /** Beta prior of every item's CTR: a0 pseudo-clicks and b0 pseudo-non-clicks (default 1, 19: a 5% prior CTR). */
  priorClicks: number;
  priorMisses: number;
}

export const BANDIT_DEFAULTS: Readonly<BanditConfig> = Object.freeze({
  strategy: 'thompson',
  explorationWeight: 0.1,
  priorClicks: 1,
  priorMisses: 19,
});

/** Per-item impression and click counts, indexed by item index. */
export interface ArmStats {
  impressions: ArrayLike<number>;
  clicks: ArrayLike<number>;
}

export interface ExploredSlate extends Ranked {
  /** 1 where the item would not be in the model's own top k (an exploratory pick). */
  explored: Uint8Array;
}

/** Validates and freezes a bandit config over the defaults. */
export function banditConfig(partial: Partial<BanditConfig> = {}): Readonly<BanditConfig> {
  const c = { ...BANDIT_DEFAULTS, ...partial };
  if (c.strategy !== 'thompson' && c.strategy !== 'epsilon-greedy') fail('INVALID_ARGUMENT', `bandit strategy must be thompson or epsilon-greedy, got "${String(c.strategy)}"`);
  if (!(c.explorationWeight >= 0 && c.explorationWeight <= 1)) fail('INVALID_ARGUMENT', `explorationWeight must be in [0, 1], got ${c.explorationWeight}`);
  if (!(c.priorClicks > 0 && c.priorMisses > 0)) fail('INVALID_ARGUMENT', 'bandit priors must be > 0');
  return Object.freeze(c);
}

/** A draw from Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(rng: Rng, a: number, b: number): number {
  const x = rng.gamma(a);
  const y = rng.gamma(b);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/**
 * The k items to show from `candidates` (best first, as rank.ts returns
 * them). Deterministic for a given Rng state. The returned scores are the
 * candidates' model scores, in the shown order.
 */
export function exploreSlate(candidates: Ranked, k: number, stats: ArmStats, config: Readonly<BanditConfig>, rng: Rng): ExploredSlate {
  const n = candidates.items.length;
  const take = Math.min(Math.max(0, k), n);
  let order: number[];
  if (config.explorationWeight === 0 || n <= take) order = Array.from({ length: take }, (_, c) => c);
  else if (config.strategy === 'thompson') order = thompsonOrder(candidates, take, stats, config, rng);
  else order = epsilonGreedyOrder(n, take, config.explorationWeight, rng);
  const items = Int32Array.from(order, (c) => candidates.items[c]!);
  const scores = Float32Array.from(order, (c) => candidates.scores[c]!);
  const explored = Uint8Array.from(order, (c) => (c >= take ? 1 : 0));
  return { items, scores, explored };
}

function thompsonOrder(candidates: Ranked, take: number, stats: ArmStats, config: Readonly<BanditConfig>, rng: Rng): number[] {
  const n = candidates.items.length;
  const rel = minMax(candidates.scores);
  const theta = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const i = candidates.items[c]!;
    const imps = stats.impressions[i] ?? 0;
    const clicks = Math.min(stats.clicks[i] ?? 0, imps);
    theta[c] = betaSample(rng, config.priorClicks + clicks, config.priorMisses + imps - clicks);
  }
  const th = minMax(theta);
  const w = config.explorationWeight;
  const value = Float64Array.from(rel, (r, c) => (1 - w) * r + w * th[c]!);
  return Array.from({ length: n }, (_, c) => c)
    .sort((a, b) => value[b]! - value[a]! || a - b)
    .slice(0, take);
}

function epsilonGreedyOrder(n: number, take: number, epsilon: number, rng: Rng): number[] {
  const remaining = Array.from({ length: n }, (_, c) => c);
  const out: number[] = [];
  for (let s = 0; s < take; s++) {
    // With probability ε the slot goes to a random candidate other than the next best.
    const pick = remaining.length > 1 && rng.next() < epsilon ? 1 + rng.int(remaining.length - 1) : 0;
    out.push(remaining[pick]!);
    remaining.splice(pick, 1);
  }
  return out;
}

function minMax(v: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i]!);
    hi = Math.max(hi, v[i]!);
  }
  const span = hi - lo;
  return Float64Array.from({ length: v.length }, (_, i) => (span > 0 ? (v[i]! - lo) / span : 1));
}
