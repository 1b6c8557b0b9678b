import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { compileTaste, DEFAULT_EVENT_CONFIG, encodeItems, fastUtility, WORLD_FILES, type CompiledTaste, type ItemCodes, type Taste } from '../data/world/index.js';
import type { EventInput } from '../serve/events/ingest.js';
import type { ServeContext } from '../serve/context.js';

/**
 * Past traffic for the demo shop's dashboard. A fresh shop has shown no
 * slates yet, so its CTR, conversion and order-value charts would be empty.
 * On the demo shop's first start (before it listens) this replays `days`
 * days of visits through the real service: the server's clock is set back
 * to each visit's time, the shopper (drawn by their activity, at their
 * usual hour) gets a feed from the FeedService (so impressions and, while
 * the demo experiment runs, exposures are logged as for any request), and
 * reacts to it by the world's own funnel on their hidden taste
 * (data/world/events.ts: view, click, cart, buy with probability
 * sigmoid(slope (s - threshold)), s = utility + popularity bias + noise);
 * the events go through the ingest path, so the next visit folds them in.
 * It runs once per store (meta "demoTraffic") and its events carry keys,
 * so it never doubles up. Deterministic for its seed, up to the clock.
 */
export interface TrafficConfig {
  days: number;
  visitsPerDay: number;
  /** Slate size shown per visit. */
  k: number;
  seed: number;
}

export const DEMO_TRAFFIC_DEFAULTS: Readonly<TrafficConfig> = Object.freeze({ days: 14, visitsPerDay: 100, k: 10, seed: 11 });

/** The service's clock with an override (the replay moves it; undefined: real time). */
export class ReplayClock {
  private at: number | undefined;
  readonly now = (): number => this.at ?? Date.now();
  set(t: number | undefined): void {
    this.at = t;
  }
}

export interface TrafficReport {
  visits: number;
  impressions: number;
  events: number;
  experimentId: string | null;
  seconds: number;
}

const DAY_MS = 86_400_000;
const META_KEY = 'demoTraffic';
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Reactor {
  index: Map<string, number>;
  codes: ItemCodes;
  popZ: Float64Array;
}

/** Item codes for the utility, and each product's standardised log appeal (the world's popularity). */
function reactor(ctx: ServeContext, worldDir: string): Reactor {
  const items = ctx.items.page(0, Math.max(1, ctx.items.size)).items;
  const index = new Map(items.map((it, i) => [it.id, i]));
  const appeal = new Float64Array(items.length).fill(1);
  for (const line of readFileSync(join(worldDir, WORLD_FILES.appeal), 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { itemId: string; appeal: number };
    const i = index.get(r.itemId);
    if (i !== undefined) appeal[i] = r.appeal;
  }
  const sigma = Math.sqrt(appeal.reduce((s, a) => s + Math.log(a) ** 2, 0) / Math.max(1, appeal.length)) || 1;
  return { index, codes: encodeItems(items), popZ: Float64Array.from(appeal, (a) => Math.log(a) / sigma) };
}

/** The events of one visit: the shopper's reactions to each product shown, then the checkout. */
function react(r: Reactor, taste: CompiledTaste, bias: number, shopperId: string, shown: string[], t: number, visit: number, rng: Rng, seed: number): EventInput[] {
  const cfg = DEFAULT_EVENT_CONFIG;
  const out: EventInput[] = [];
  const base = { shopperId, sessionId: `demo-${seed}-${visit}` };
  const at = (): number => t + 4_000 * (out.length + 1);
  const key = (): string => `demo-traffic-${seed}-${visit}-${out.length}`;
  const cart: { itemId: string; s: number }[] = [];
  for (const itemId of shown) {
    const i = r.index.get(itemId);
    if (i === undefined) continue;
    const s = fastUtility(taste, r.codes, i) + bias * r.popZ[i]! + cfg.noise * rng.normal();
    if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.viewThreshold)))) continue;
    out.push({ ...base, key: key(), itemId, type: 'view', ts: at() });
    if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.clickThreshold)))) continue;
    out.push({ ...base, key: key(), itemId, type: 'click', ts: at() });
    if (!rng.bool(sigmoid(cfg.clickSlope * (s - cfg.cartThreshold)))) continue;
    out.push({ ...base, key: key(), itemId, type: 'cart', ts: at() });
    cart.push({ itemId, s });
  }
  for (const c of cart) if (rng.bool(sigmoid(cfg.clickSlope * (c.s - cfg.purchaseThreshold)))) out.push({ ...base, key: key(), itemId: c.itemId, type: 'purchase', ts: at() });
  return out;
}

/** The demo experiment's variants, control (CF only) first, those loaded of them. */
const DEMO_VARIANTS = [
  { name: 'als', label: 'ALS' },
  { name: 'hybrid', label: 'hybrid' },
  { name: 'visual-hybrid', label: 'visual hybrid' },
] as const;

/**
 * Starts the demo experiment when no experiment exists yet: ALS (the
 * control) against the hybrid and the visual hybrid, those of them that are
 * loaded (at least two).
 */
function startExperiment(ctx: ServeContext): string | null {
  const loaded = DEMO_VARIANTS.filter((v) => ctx.models.has(v.name));
  if (loaded.length < 2 || ctx.experiments.list().length > 0) return ctx.experiments.running()?.id ?? null;
  return ctx.experiments.create({
    id: `demo-${loaded.map((v) => v.name).join('-vs-')}`,
    name: `${loaded.map((v) => v.label).join(' vs ')} (demo traffic)`,
    variants: loaded.map((v) => ({ name: v.name, config: { model: v.name } })),
  }).id;
}

/** Replays the traffic unless this store already has it; undefined when skipped. */
export async function backfillDemoTraffic(ctx: ServeContext, worldDir: string, tastes: ReadonlyMap<string, Taste>, clock: ReplayClock, config: Partial<TrafficConfig> = {}): Promise<TrafficReport | undefined> {
  const c = { ...DEMO_TRAFFIC_DEFAULTS, ...config };
  if (ctx.store.getMeta(META_KEY) !== undefined || c.days < 1 || c.visitsPerDay < 1) return undefined;
  const t0 = performance.now();
  const r = reactor(ctx, worldDir);
  const ids = [...tastes.keys()].filter((id) => ctx.shoppers.get(id).known);
  const people = ids.map((id) => ({ id, taste: tastes.get(id)!, compiled: compileTaste(tastes.get(id)!) }));
  const activity = people.map((p) => p.taste.activity);
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - c.days * DAY_MS;
  const report: TrafficReport = { visits: 0, impressions: 0, events: 0, experimentId: null, seconds: 0 };
  try {
    clock.set(start);
    report.experimentId = startExperiment(ctx);
    for (let day = 0; day < c.days; day++) {
      const rng = Rng.derive(c.seed, `day:${day}`);
      const visits = Array.from({ length: c.visitsPerDay }, () => {
        const who = rng.weightedIndex(activity);
        const h = people[who]!.taste.activeHours;
        const hour = (((rng.normal(h.peak, h.spread) % 24) + 24) % 24);
        return { who, t: start + day * DAY_MS + Math.floor(hour * 3_600_000) };
      }).sort((a, b) => a.t - b.t);
      for (const v of visits) {
        const p = people[v.who]!;
        clock.set(v.t);
        const feed = ctx.feeds.feed({ shopperId: p.id, k: c.k });
        const events = react(r, p.compiled, p.taste.popularityBias, p.id, feed.items.map((i) => i.itemId), v.t, report.visits, rng, c.seed);
        report.visits++;
        report.impressions += feed.items.length;
        if (events.length > 0) report.events += (await ctx.ingest.ingest(events)).added;
      }
    }
    await ctx.impressions.flush();
  } finally {
    clock.set(undefined);
  }
  report.seconds = (performance.now() - t0) / 1000;
  ctx.store.setMeta(META_KEY, JSON.stringify({ ...c, visits: report.visits, at: new Date().toISOString() }));
  return report;
}
