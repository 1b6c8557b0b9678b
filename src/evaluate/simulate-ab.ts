import { fail, throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import { hashString, Rng } from '../core/rng.js';
import { buildDataset, type Dataset } from '../data/dataset.js';
import { EVENT_TYPES } from '../data/schema.js';
import { DEFAULT_EVENT_WEIGHTS } from '../data/interactions.js';
import { compileTaste, encodeItems, fastUtility, generateWorld, worldEvents, type CompiledTaste, type ItemCodes, type World } from '../data/world/index.js';
import type { EventConfig } from '../data/world/events.js';
import { meanInterval, momentsOf, twoProportionZTest, welchTTest, wilsonInterval, type Interval, type Proportion, type TestResult } from '../metrics/ab.js';
import { variantSpec, type Policy, type SimShopper, type VariantSpec } from './simulate-ab-variants.js';

/**
 * Simulated A/B test on the synthetic world (issue 4): shoppers with hidden
 * tastes are split between variants by hashing their id, then, for `days`
 * days, visit the shop (Poisson(activity) visits a day), are shown a slate
 * by their variant and react to it following their hidden taste, by the
 * world's own funnel (data/world/events.ts): score
 *   s = trueUtility + popularityBias · z(appeal) + noise,
 * then look (a view), click, add to cart and buy, each step passing with
 * probability sigmoid(slope (s - threshold)). What they do joins their
 * history, which the variant folds in at their next visit. Because the
 * tastes are known, every variant's lift is measured against ground truth
 * (the mean true utility of what it showed) as well as by CTR, conversion,
 * order value and revenue per shopper, each with its interval and a test
 * against the first variant (the control).
 */
export interface SimulateAbOptions {
  variants: string[];
  shoppers: number;
  /** Days the test runs. */
  days: number;
  /** Products in the world (default 2000). */
  items?: number;
  /** Days of history the variants are trained on (default 30). */
  historyDays?: number;
  /** Slate size (default 10). */
  k?: number;
  seed?: number;
  confidence?: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface AbVariantOutcome {
  variant: string;
  describe: string;
  shoppers: number;
  /** Shoppers who visited at least once (the denominator of conversion and revenue per shopper). */
  exposed: number;
  visits: number;
  impressions: number;
  clicks: number;
  ctr: Proportion;
  buyers: number;
  conversion: Proportion;
  orders: number;
  revenue: number;
  aov: { mean: number } & Interval;
  revenuePerShopper: { mean: number } & Interval;
  /** Ground truth: mean hidden utility of the products shown. */
  trueUtility: { mean: number } & Interval;
}

export interface AbLift {
  variant: string;
  control: string;
  ctr: TestResult;
  conversion: TestResult;
  aov: TestResult;
  revenuePerShopper: TestResult;
  trueUtility: TestResult;
}

export interface SimulateAbResult {
  protocol: string[];
  config: { variants: string[]; shoppers: number; days: number; items: number; historyDays: number; k: number; seed: number; confidence: number };
  variants: AbVariantOutcome[];
  /** Every variant against the first. */
  lifts: AbLift[];
  seconds: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Tally {
  visits: number;
  impressions: number;
  clicks: number;
  exposed: Set<number>;
  buyers: Set<number>;
  orderValues: number[];
  revenueByShopper: Map<number, number>;
  utilities: number[];
}

/** What the reaction model needs of the world. */
interface Reactor {
  codes: ItemCodes;
  popZ: Float64Array;
  prices: Float64Array;
  tastes: CompiledTaste[];
  cfg: EventConfig;
}

function reactor(world: World): Reactor {
  const sigma = Math.sqrt(world.appeal.reduce((s, a) => s + Math.log(a) ** 2, 0) / Math.max(1, world.appeal.length)) || 1;
  return {
    codes: encodeItems(world.items),
    popZ: Float64Array.from(world.appeal, (a) => Math.log(a) / sigma),
    prices: Float64Array.from(world.items, (it) => it.price ?? 0),
    tastes: world.tastes.map(compileTaste),
    cfg: world.config.events,
  };
}

/** One visit: the shopper reacts to each product of the slate, then checks out the cart (one order). */
function visit(r: Reactor, u: number, slate: Int32Array, s: SimShopper, policy: Policy, rng: Rng, t: Tally): void {
  const taste = r.tastes[u]!;
  const { cfg } = r;
  const cart: { item: number; score: number }[] = [];
  t.visits++;
  t.exposed.add(u);
  for (const item of slate) {
    t.impressions++;
    const utility = fastUtility(taste, r.codes, item);
    t.utilities.push(utility);
    const score = utility + taste.popularityBias * r.popZ[item]! + cfg.noise * rng.normal();
    const viewed = rng.bool(sigmoid(cfg.clickSlope * (score - cfg.viewThreshold)));
    const clicked = viewed && rng.bool(sigmoid(cfg.clickSlope * (score - cfg.clickThreshold)));
    policy.feedback?.(item, clicked);
    if (viewed) add(s, item, 'view');
    if (!clicked) continue;
    t.clicks++;
    add(s, item, 'click');
    if (!rng.bool(sigmoid(cfg.clickSlope * (score - cfg.cartThreshold)))) continue;
    add(s, item, 'cart');
    cart.push({ item, score });
  }
  let order = 0;
  for (const { item, score } of cart) {
    if (!rng.bool(sigmoid(cfg.clickSlope * (score - cfg.purchaseThreshold)))) continue;
    add(s, item, 'purchase');
    order += r.prices[item]!;
  }
  if (order > 0) {
    t.buyers.add(u);
    t.orderValues.push(order);
    t.revenueByShopper.set(u, (t.revenueByShopper.get(u) ?? 0) + order);
  }
}

function add(s: SimShopper, item: number, type: keyof typeof DEFAULT_EVENT_WEIGHTS): void {
  s.history.set(item, (s.history.get(item) ?? 0) + DEFAULT_EVENT_WEIGHTS[type]);
  s.changed = true;
}

/** Runs the simulated test; deterministic for its options. */
export async function simulateAb(opts: SimulateAbOptions): Promise<SimulateAbResult> {
  const t0 = performance.now();
  const seed = opts.seed ?? 7;
  const k = opts.k ?? 10;
  const items = opts.items ?? 2000;
  const historyDays = opts.historyDays ?? 30;
  const confidence = opts.confidence ?? 0.95;
  if (opts.variants.length < 2) fail('INVALID_ARGUMENT', 'an A/B test needs at least 2 variants');
  if (new Set(opts.variants).size !== opts.variants.length) fail('INVALID_ARGUMENT', 'variant names must differ');
  if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > 365) fail('INVALID_ARGUMENT', `days must be an integer from 1 to 365, got ${opts.days}`);
  if (!Number.isInteger(k) || k < 1 || k > 100) fail('INVALID_ARGUMENT', `k must be an integer from 1 to 100, got ${k}`);
  const specs = opts.variants.map(variantSpec);
  const report = opts.onProgress ?? (() => undefined);
  const world = await generateWorld({ items, shoppers: opts.shoppers, days: historyDays, seed }, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const dataset = buildDataset(`world-${seed}`, world.items, world.shoppers, worldEvents(world));
  const policies: Policy[] = [];
  try {
    for (const [v, spec] of specs.entries()) {
      report({ phase: `train ${opts.variants[v]}`, done: v, total: specs.length });
      policies.push(await spec.build(dataset, { seed, world, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) }));
    }
    return await runTest(opts, world, dataset, specs, policies, { seed, k, items, historyDays, confidence, t0 });
  } finally {
    for (const p of policies) p.dispose?.();
  }
}

interface Settings {
  seed: number;
  k: number;
  items: number;
  historyDays: number;
  confidence: number;
  /** performance.now() at the start. */
  t0: number;
}

/** The test days and the outcome, once every variant's policy is built. */
async function runTest(opts: SimulateAbOptions, world: World, dataset: Dataset, specs: VariantSpec[], policies: Policy[], cfg: Settings): Promise<SimulateAbResult> {
  const { seed, k, items, historyDays, confidence, t0 } = cfg;
  const report = opts.onProgress ?? (() => undefined);
  const r = reactor(world);
  const tallies = specs.map((): Tally => ({ visits: 0, impressions: 0, clicks: 0, exposed: new Set(), buyers: new Set(), orderValues: [], revenueByShopper: new Map(), utilities: [] }));
  const testId = `simulate-ab-${seed}`;
  const assignment = world.shoppers.map((s) => variantOf(testId, s.id, specs.length));
  const histories = initialHistories(dataset);
  const sims: SimShopper[] = world.shoppers.map((s) => {
    const userIdx = dataset.users.require(s.id);
    return { userIdx, history: histories[userIdx] ?? new Map(), changed: false };
  });
  for (let day = 0; day < opts.days; day++) {
    throwIfAborted(opts.signal);
    report({ phase: 'simulate test days', done: day, total: opts.days });
    for (let u = 0; u < world.shoppers.length; u++) {
      const rng = Rng.derive(seed, `ab:${world.shoppers[u]!.id}:${day}`);
      const visits = rng.poisson(world.tastes[u]!.activity);
      const v = assignment[u]!;
      for (let n = 0; n < visits; n++) visit(r, u, policies[v]!.slate(sims[u]!, k, rng), sims[u]!, policies[v]!, rng, tallies[v]!);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  report({ phase: 'simulate test days', done: opts.days, total: opts.days });
  const variants = specs.map((spec, v) => outcome(opts.variants[v]!, spec.describe, assignment.filter((a) => a === v).length, tallies[v]!, confidence));
  const lifts = variants.slice(1).map((o, i) => lift(o.variant, variants[0]!.variant, tallies[i + 1]!, tallies[0]!, confidence));
  return {
    protocol: [
      `world: ${items} products, ${opts.shoppers} shoppers with hidden tastes (seed ${seed}); variants trained on ${historyDays} days of their simulated history`,
      `test: ${opts.days} days; each shopper in one variant by hash; Poisson(activity) visits a day; a slate of ${k} products a visit, products the shopper interacted with left out; new events folded in at the next visit`,
      `reactions: the world's funnel on the hidden utility (view, click, cart, buy; data/world/events.ts); intervals at ${confidence * 100}% (Wilson for rates, t for means); lifts against ${opts.variants[0]} (z-test for rates, Welch's t for means)`,
    ],
    config: { variants: opts.variants, shoppers: opts.shoppers, days: opts.days, items, historyDays, k, seed, confidence },
    variants,
    lifts,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Equal shares by hashing "<test>:<shopper>" (the service's assignment, serve/experiments/assign.ts, uses the same idea). */
function variantOf(testId: string, shopperId: string, n: number): number {
  let h = hashString(`${testId}:${shopperId}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) % n;
}

/** Σ event weight per (shopper, product) of the training history, in one pass over the events. */
function initialHistories(dataset: ReturnType<typeof buildDataset>): Map<number, number>[] {
  const out: Map<number, number>[] = Array.from({ length: dataset.users.size }, () => new Map());
  const e = dataset.events;
  for (let row = 0; row < e.user.length; row++) {
    const h = out[e.user[row]!]!;
    const w = DEFAULT_EVENT_WEIGHTS[EVENT_TYPES[e.type[row]!]!];
    h.set(e.item[row]!, (h.get(e.item[row]!) ?? 0) + w);
  }
  return out;
}

function withInterval(values: number[], confidence: number): { mean: number } & Interval {
  const m = momentsOf(values);
  return { mean: m.mean, ...meanInterval(m, confidence) };
}

function perShopperRevenue(t: Tally): number[] {
  return [...t.exposed].map((u) => t.revenueByShopper.get(u) ?? 0);
}

function outcome(variant: string, describe: string, shoppers: number, t: Tally, confidence: number): AbVariantOutcome {
  const revenue = t.orderValues.reduce((a, b) => a + b, 0);
  return {
    variant,
    describe,
    shoppers,
    exposed: t.exposed.size,
    visits: t.visits,
    impressions: t.impressions,
    clicks: t.clicks,
    ctr: wilsonInterval(t.clicks, t.impressions, confidence),
    buyers: t.buyers.size,
    conversion: wilsonInterval(t.buyers.size, t.exposed.size, confidence),
    orders: t.orderValues.length,
    revenue,
    aov: withInterval(t.orderValues, confidence),
    revenuePerShopper: withInterval(perShopperRevenue(t), confidence),
    trueUtility: withInterval(t.utilities, confidence),
  };
}

function lift(variant: string, control: string, t: Tally, c: Tally, confidence: number): AbLift {
  return {
    variant,
    control,
    ctr: twoProportionZTest({ successes: c.clicks, trials: c.impressions }, { successes: t.clicks, trials: t.impressions }, confidence),
    conversion: twoProportionZTest({ successes: c.buyers.size, trials: c.exposed.size }, { successes: t.buyers.size, trials: t.exposed.size }, confidence),
    aov: welchTTest(momentsOf(c.orderValues), momentsOf(t.orderValues), confidence),
    revenuePerShopper: welchTTest(momentsOf(perShopperRevenue(c)), momentsOf(perShopperRevenue(t)), confidence),
    trueUtility: welchTTest(momentsOf(c.utilities), momentsOf(t.utilities), confidence),
  };
}
