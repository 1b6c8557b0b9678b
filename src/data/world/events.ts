import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { Rng } from '../../core/rng.js';
import type { Shopper } from '../schema.js';
import { compileTaste, fastUtility, type CompiledTaste, type ItemCodes } from './compiled-utility.js';
import { EventBuffer, type WorldEventLog } from './event-log.js';
import { ExposureSampler } from './exposure.js';
import type { Taste } from './taste.js';
import { drawSlate, type Page, type SlateMix } from './slate.js';
import { CATEGORIES, COLOUR_NAMES } from './vocabulary.js';

/**
 * Sessions of view / click / cart / purchase events drawn from each
 * shopper's true utility. A session starts on a category page, a search
 * (category and colour) or the home page, and has one or more pages; each
 * page shows a slate of products (slate.ts, exposure.ts). For each shown
 * product the shopper's score is
 *   s = trueUtility + popularityBias * z(appeal) + noise,
 * and the funnel steps each pass with probability sigmoid(slope * (s - threshold)):
 * looked at (a view; shoppers skim past what they do not care for), clicked,
 * added to the cart, bought at checkout (a random-utility choice model;
 * McFadden 1974). After a click the next page is often "more like this"
 * (same category, same colour), which gives item-to-item co-occurrence as in
 * real shops.
 */
export interface EventConfig {
  /** Products per page: slateBase + Poisson(slateExtra). */
  slateBase: number;
  slateExtra: number;
  /** Pages per session: 1 + Poisson(extraPages). */
  extraPages: number;
  /** Share of sessions that browse one category, and that search a category in a colour (the rest start on the home page). */
  browseShare: number;
  searchShare: number;
  /** Category and colour choices follow the taste with this weight, uniform otherwise. */
  favouriteMix: number;
  /** Chance that the page after a click shows products like the clicked one. */
  moreLikeThis: number;
  /** "New arrivals" are the products of the last this many days. */
  newWindowDays: number;
  /** Within a category (or category and colour), exposure is proportional to appeal^withinPower. */
  withinPower: number;
  /** Slope of every funnel step's sigmoid. */
  clickSlope: number;
  /** A shown product is looked at (a view) with probability sigmoid(clickSlope * (s - viewThreshold)). */
  viewThreshold: number;
  clickThreshold: number;
  cartThreshold: number;
  purchaseThreshold: number;
  /** Standard deviation of the per-exposure noise on s (the shopper's mood). */
  noise: number;
  /** Where each kind of page draws its products from (slate.ts). */
  mix: SlateMix;
}

export const DEFAULT_EVENT_CONFIG: Readonly<EventConfig> = Object.freeze({
  slateBase: 4,
  slateExtra: 3,
  extraPages: 1.2,
  browseShare: 0.4,
  searchShare: 0.3,
  favouriteMix: 0.8,
  moreLikeThis: 0.6,
  newWindowDays: 14,
  withinPower: 0.4,
  clickSlope: 1.3,
  viewThreshold: -0.5,
  clickThreshold: 1.5,
  cartThreshold: 2.5,
  purchaseThreshold: 2.0,
  noise: 0.7,
  mix: Object.freeze({
    like: [0.6, 0.3] as const,
    browse: [0.85, 0.1] as const,
    search: [0.7, 0.25] as const,
    home: [0.15, 0.75] as const,
  }),
});

/** Codes of EVENT_TYPES (src/data/schema.ts). */
export const VIEW = 0;
export const CLICK = 1;
export const CART = 2;
export const PURCHASE = 3;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export interface SimulationInput {
  seed: number;
  startTime: number;
  days: number;
  codes: ItemCodes;
  /** Latent appeal per item (products.ts); createdAt per item, ascending. */
  appeal: Float64Array;
  createdAt: Float64Array;
  prices: Float64Array;
  shoppers: readonly Shopper[];
  tastes: readonly Taste[];
  config?: EventConfig;
  onProgress?: ProgressFn;
}

/** Everything one shopper's sessions need. */
interface ShopperContext {
  idx: number;
  rng: Rng;
  taste: CompiledTaste;
  categoryWeights: number[];
  colourWeights: number[];
  purchased: Set<number>;
}

/** A taste's weights mixed with uniform: favourites dominate, but every value is sometimes chosen. */
function mixWeights(keys: readonly string[], weights: Readonly<Record<string, number>>, mix: number): number[] {
  return keys.map((k) => mix * (weights[k] ?? 0) + (1 - mix) / keys.length);
}

/** The first page of a session: a category page, a search, or the home page. */
function firstPage(ctx: ShopperContext, cfg: EventConfig): Page {
  const u = ctx.rng.next();
  if (u < cfg.browseShare) return { kind: 'browse', category: ctx.rng.weightedIndex(ctx.categoryWeights) };
  if (u < cfg.browseShare + cfg.searchShare) {
    return { kind: 'search', category: ctx.rng.weightedIndex(ctx.categoryWeights), colour: ctx.rng.weightedIndex(ctx.colourWeights) };
  }
  return { kind: 'home', categoryWeights: ctx.categoryWeights };
}

/** Session start times of a shopper: Poisson count over the days after sign-up, hours around the active peak. */
function sessionTimes(rng: Rng, taste: Taste, createdAt: number, startTime: number, days: number): number[] {
  const joinDay = Math.max(0, (createdAt - startTime) / DAY_MS);
  const activeDays = days - joinDay;
  if (activeDays <= 0) return [];
  const n = rng.poisson(taste.activity * activeDays);
  const times: number[] = [];
  for (let k = 0; k < n; k++) {
    const day = Math.floor(joinDay + rng.next() * activeDays);
    const hour = (((rng.normal(taste.activeHours.peak, taste.activeHours.spread) % 24) + 24) % 24);
    const t = Math.round(startTime + day * DAY_MS + hour * HOUR_MS);
    times.push(Math.max(t, createdAt + 60_000));
  }
  return times.sort((a, b) => a - b);
}

/**
 * Simulates every shopper's sessions and returns the events in time order.
 * Yields to the event loop every few hundred shoppers so progress can be
 * drawn, and stops with ABORTED when `signal` fires.
 */
export async function simulateEvents(input: SimulationInput, signal?: AbortSignal): Promise<WorldEventLog> {
  const cfg = input.config ?? DEFAULT_EVENT_CONFIG;
  const sampler = new ExposureSampler(input.codes, input.appeal, input.createdAt, cfg.newWindowDays * DAY_MS, cfg.withinPower);
  const sigma = Math.sqrt(input.appeal.reduce((s, a) => s + Math.log(a) ** 2, 0) / Math.max(1, input.appeal.length)) || 1;
  const popZ = Float64Array.from(input.appeal, (a) => Math.log(a) / sigma);
  const out = new EventBuffer(input.shoppers.length * 64);
  const env: SessionEnv = { ...input, cfg, sampler, popZ, out };
  const total = input.shoppers.length;
  for (let idx = 0; idx < total; idx++) {
    const shopper = input.shoppers[idx]!;
    const taste = input.tastes[idx]!;
    const ctx: ShopperContext = {
      idx,
      rng: Rng.derive(input.seed, `sessions:${shopper.id}`),
      taste: compileTaste(taste),
      categoryWeights: mixWeights(CATEGORIES, taste.categories, cfg.favouriteMix),
      colourWeights: mixWeights(COLOUR_NAMES, taste.colours, cfg.favouriteMix),
      purchased: new Set(),
    };
    const times = sessionTimes(ctx.rng, taste, shopper.createdAt ?? input.startTime, input.startTime, input.days);
    times.forEach((t, k) => runSession(ctx, k + 1, t, env));
    if (idx % 500 === 499 || idx === total - 1) {
      input.onProgress?.({ phase: 'simulate events', done: idx + 1, total });
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
    }
  }
  input.onProgress?.({ phase: 'sort events', done: 0, total: 1 });
  const log = out.sortByTime();
  input.onProgress?.({ phase: 'sort events', done: 1, total: 1 });
  return log;
}

interface SessionEnv extends SimulationInput {
  cfg: EventConfig;
  sampler: ExposureSampler;
  popZ: Float64Array;
  out: EventBuffer;
}

/** One session: pages of slates, clicks and carts, then checkout. */
function runSession(ctx: ShopperContext, ordinal: number, start: number, env: SessionEnv): void {
  const { rng } = ctx;
  const { cfg, out } = env;
  const pages = 1 + rng.poisson(cfg.extraPages);
  const first = firstPage(ctx, cfg);
  const cart: { item: number; s: number }[] = [];
  let lastClick = -1;
  let t = start;
  for (let page = 0; page < pages; page++) {
    let shown = first;
    if (lastClick >= 0 && rng.bool(cfg.moreLikeThis)) {
      const [category, colour] = env.sampler.lookOf(lastClick);
      shown = { kind: 'like', category, colour };
    }
    const size = cfg.slateBase + rng.poisson(cfg.slateExtra);
    const slate = drawSlate(env.sampler, shown, cfg.mix, size, rng, t, (i) => ctx.purchased.has(i));
    for (const item of slate) {
      const s = fastUtility(ctx.taste, env.codes, item) + ctx.taste.popularityBias * env.popZ[item]! + cfg.noise * rng.normal();
      t += 150 + rng.int(400);
      if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.viewThreshold)))) continue;
      const price = env.prices[item]!;
      out.push(ctx.idx, item, VIEW, t, price, ordinal);
      if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.clickThreshold)))) continue;
      t += 2_000 + rng.int(15_000);
      out.push(ctx.idx, item, CLICK, t, price, ordinal);
      lastClick = item;
      t += 5_000 + rng.int(60_000);
      if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.cartThreshold)))) continue;
      out.push(ctx.idx, item, CART, t, price, ordinal);
      cart.push({ item, s });
      t += 1_000 + rng.int(5_000);
    }
    t += 5_000 + rng.int(40_000);
  }
  for (const { item, s } of cart) {
    if (ctx.purchased.has(item) || !rng.bool(sigmoid(cfg.clickSlope * (s - cfg.purchaseThreshold)))) continue;
    t += 1 + rng.int(3_000);
    out.push(ctx.idx, item, PURCHASE, t, env.prices[item]!, ordinal);
    ctx.purchased.add(item);
  }
}
