import { randomBytes } from 'node:crypto';
import { fail } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Item } from '../../data/schema.js';
import { banditConfig, exploreSlate } from '../../recommend/bandit.js';
import type { Ranked, RecommendSource } from '../../recommend/rank.js';
import { moments } from '../../recommend/hybrid.js';
import { capPerCategory, mmr } from '../../recommend/rerank.js';
import { sessionConfig, sessionRerank, type SessionEvent } from '../../recommend/session.js';
import type { ServeConfig } from '../config.js';
import type { Experiments } from '../experiments/experiments.js';
import type { ImpressionLog } from '../impressions.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { ModelCatalog } from '../models/model-catalog.js';
import type { ServingModel } from '../models/serving-model.js';
import type { ShopperState, ShopperStates } from '../shopper-state.js';
import type { Store } from '../../store/store.js';
import { ArrivalFactors } from './arrival-factors.js';
import { NewArrivals } from './new-arrivals.js';
import { CandidateCache, type Candidates, type History } from './candidates.js';
import type { FilterQuery } from './slate-filter.js';

/**
 * The personalised feed, the hot path of the service. Per request:
 *  1. score every product for the shopper: the fold-in of their stored
 *     history (ALS: exact solve against the item factors, < 1 ms) when the
 *     model can fold in, else the trained user vector, else popularity;
 *  2. keep the best max(50, 4k) candidates passing the filters (seen
 *     products and exclusions removed; rank.ts's bounded heap, O(n log C));
 *     steps 1-2 are kept per shopper until their history, the model or the
 *     catalog changes (candidates.ts), so a repeat request starts at 3;
 *  3. re-rank them by the session's recent events (recommend/session.ts);
 *  4. diversify the best 3k to 1.5k by MMR and cap per category (recommend/rerank.ts);
 *  5. let the bandit pick the k shown (recommend/bandit.ts);
 *  6. place new arrivals (new-arrivals.ts) and log the impressions (and
 *     the experiment exposure).
 * Models stay in memory; per-model columns (categories, prices, unit item
 * vectors) are precomputed (serving-model.ts).
 */
export interface FeedQuery extends FilterQuery {
  shopperId: string;
  /** The id came from a signed session cookie (an anonymous shopper is fine). */
  fromSession?: boolean;
  k?: number;
  diversity?: number;
  maxPerCategory?: number;
  exploration?: number;
  /** A model by name; naming one opts out of the running experiment. */
  model?: string;
  /** Log impressions (default true). */
  log?: boolean;
  /** Explore products the model does not know (default true; off for the compact slate, whose ids index the model's catalog). */
  newArrivals?: boolean;
}

export interface FeedItem {
  itemId: string;
  position: number;
  /** The model's score (not comparable across models). */
  score: number;
  /** The bandit put it here to explore. */
  explored: boolean;
  /**
   * A product the model does not know yet (new-arrivals.ts): shown to explore
   * it (explored, score 0), or, with a model that has a content part, ranked
   * by that part (not explored, its score on the model's scale).
   */
  newArrival?: boolean;
  /** For a new arrival placed by taste: the cosine of its attributes and text with the shopper's profile, in [0, 1]. */
  match?: number;
  title: string;
  category: string;
  price: number | null;
  /** URL path of the product image, or null. */
  image: string | null;
}

export interface Feed {
  slateId: string;
  shopperId: string;
  model: string;
  variant: string;
  experimentId: string | null;
  /** history: folded in from the shopper's events; user: the trained shopper; fallback: popularity. */
  source: RecommendSource;
  generatedAt: string;
  items: FeedItem[];
}

export interface FeedDeps {
  config: Readonly<ServeConfig>;
  store: Pick<Store, 'interactionsWith'>;
  models: ModelCatalog;
  items: ItemCatalog;
  shoppers: ShopperStates;
  impressions: ImpressionLog;
  experiments: Experiments;
  clock: () => number;
}

/** The public item fields of a response. */
export function itemView(itemId: string, item: Item | undefined): Pick<FeedItem, 'itemId' | 'title' | 'category' | 'price' | 'image'> {
  return {
    itemId,
    title: item?.title ?? itemId,
    category: item?.category ?? '',
    price: item?.price ?? null,
    image: item?.image ? `/api/items/${encodeURIComponent(itemId)}/image` : null,
  };
}

export class FeedService {
  private requests = 0;
  /** Slate ids: a random prefix per process and a counter (unique without a random draw per request). */
  private readonly slatePrefix = randomBytes(6).toString('hex');

  private readonly arrivals: NewArrivals;
  /** Each shopper's scored candidates, reused until their history, the model or the filter columns change (candidates.ts). */
  readonly candidates: CandidateCache;

  constructor(private readonly d: FeedDeps) {
    this.arrivals = new NewArrivals(d.items, new ArrivalFactors(d.store, d.items));
    this.candidates = new CandidateCache(d.config.candidateCache);
  }

  feed(q: FeedQuery): Feed {
    const { config } = this.d;
    const k = q.k ?? config.defaultK;
    if (!Number.isInteger(k) || k < 1 || k > config.maxK) fail('INVALID_ARGUMENT', `k must be an integer from 1 to ${config.maxK}, got ${k}`);
    const assignment = q.model === undefined ? this.d.experiments.assign(q.shopperId) : undefined;
    const vc = assignment?.variant.config ?? {};
    const model = this.d.models.require(q.model ?? vc.model);
    const state = this.d.shoppers.get(q.shopperId);
    const userIdx = model.bundle.users.get(q.shopperId);
    if (!state.known && userIdx === undefined && q.fromSession !== true) {
      fail('UNKNOWN_ID', `unknown shopper "${q.shopperId}"`, { hint: 'post an event for this shopper first, or use a session cookie (POST /api/session)' });
    }
    const nCandidates = Math.max(config.minCandidates, config.candidatesPerSlot * k);
    const kept = this.candidates.get(model, state, userIdx, q, nCandidates, (id) => this.d.items.has(id));
    const { history, list: candidates, source } = kept;
    let list: Ranked = candidates;
    const now = this.d.clock();
    const session = sessionConfig({ ...config.session, ...(vc.sessionWeight === undefined ? {} : { weight: vc.sessionWeight }) });
    list = sessionRerank(list, sessionEvents(model, state), now, (a, b) => model.sim(a, b), session);
    list = this.diversify(model, list, k, q.diversity ?? vc.diversity ?? config.diversity, q.maxPerCategory);
    const bandit = banditConfig({
      ...config.bandit,
      ...(vc.strategy === undefined ? {} : { strategy: vc.strategy }),
      explorationWeight: q.exploration ?? vc.exploration ?? config.bandit.explorationWeight,
    });
    const rng = Rng.derive(config.seed, `${q.shopperId}:${this.requests++}`);
    const slate = exploreSlate(list, k, this.d.impressions.statsFor(model), bandit, rng);
    // The shopper's content profile, computed at most once, and only when a new product is there to match.
    let profile: Float32Array | null | undefined;
    const taste = (): Float32Array | undefined => {
      if (profile === undefined) profile = tasteProfile(model, history, userIdx) ?? null;
      return profile ?? undefined;
    };
    const ranked = q.newArrivals !== false ? this.rankedArrival(model, q, state, taste, userIdx, kept) : undefined;
    const feed: Feed = {
      slateId: this.nextSlateId(),
      shopperId: q.shopperId,
      model: model.name,
      variant: assignment?.variant.name ?? model.name,
      experimentId: assignment?.experimentId ?? null,
      source,
      generatedAt: new Date(now).toISOString(),
      items: Array.from(slate.items, (idx, position) => {
        const itemId = model.itemIds[idx]!;
        // Object.assign onto the fresh view, not a spread into a new object: one allocation per item on the hot path.
        return Object.assign(itemView(itemId, this.d.items.get(itemId)), { position, score: scoreOf(candidates, idx), explored: slate.explored[position] === 1 });
      }),
    };
    const placed = ranked !== undefined && insertByScore(feed.items, ranked, k);
    // The explored place goes to another new product than one ranked into the slate (one that did not earn a place may be explored).
    const seen = (id: string): boolean => state.strength.has(id) || (placed && id === ranked.item.id);
    const explore = q.newArrivals !== false && bandit.explorationWeight > 0 && rng.next() < bandit.explorationWeight;
    const arrival = explore ? this.arrivals.pick(model, q, seen, rng, taste) : undefined;
    if (arrival !== undefined) {
      // The last place of a full slate, or one more place of a short one.
      const position = Math.min(feed.items.length, k - 1);
      const { item, match } = arrival;
      feed.items[position] = Object.assign(itemView(item.id, item), { position, score: 0, explored: true, newArrival: true }, match === undefined ? {} : { match });
    }
    if (q.log !== false) this.logShown(feed, now);
    return feed;
  }

  /**
   * MMR over the best 3k candidates down to 1.5k (the bandit then picks k of
   * them): MMR costs O(picks × candidates) similarity calls, so it is kept to
   * the head of the list, where a shown product can come from anyway.
   */
  private diversify(model: ServingModel, list: Ranked, k: number, diversity: number, maxPerCategory: number | undefined): Ranked {
    if (!(diversity >= 0 && diversity <= 1)) fail('INVALID_ARGUMENT', `diversity must be in [0, 1], got ${diversity}`);
    const head = Math.min(list.items.length, 3 * k);
    const keep = Math.min(head, k + Math.ceil(k / 2));
    const top = { items: list.items.subarray(0, head), scores: list.scores.subarray(0, head) };
    let out = diversity > 0 ? mmr(top, keep, (a, b) => model.sim(a, b), 1 - diversity) : { items: top.items.slice(0, keep), scores: top.scores.slice(0, keep) };
    if (maxPerCategory !== undefined) {
      // The cap can need candidates past the MMR head: cap over the whole list when it leaves the slate short.
      const category = model.category;
      const capped = capPerCategory(out, keep, (i) => category[i]!, maxPerCategory);
      out = capped.items.length >= k ? capped : capPerCategory(list, keep, (i) => category[i]!, maxPerCategory);
    }
    return out;
  }

  /**
   * The new arrival the served model would rank highest for this shopper
   * (new-arrivals.ts best: a model with a content part scores a product it
   * has not seen by that part, as its own cold items; bestByFactors: the ALS
   * model by the item vector the product's interactions imply), or undefined.
   */
  private rankedArrival(model: ServingModel, q: FeedQuery, state: ShopperState, taste: () => Float32Array | undefined, userIdx: number | undefined, kept: Candidates): ReturnType<NewArrivals['best']> {
    if (this.arrivals.of(model).length === 0) return undefined;
    const seen = (id: string): boolean => state.strength.has(id);
    const content = model.content;
    if (content === undefined) return kept.vector === undefined ? undefined : this.arrivals.bestByFactors(model, q, seen, kept.vector);
    const profile = taste();
    if (profile === undefined) return undefined;
    const cf = kept.vector !== undefined && kept.cfMoments !== undefined ? { vector: kept.vector, moments: kept.cfMoments } : undefined;
    // The content scores' moments come with the candidates when the scorer kept them (a hybrid), else from scoring the profile here.
    const contentMoments = (): { mean: number; inv: number } => kept.contentMoments ?? moments(content.scoreProfile(profile), content.nItems);
    return this.arrivals.best(model, q, seen, { profile, contentMoments, trained: userIdx !== undefined, ...(cf === undefined ? {} : { cf }) });
  }

  private nextSlateId(): string {
    return `${this.slatePrefix}${this.requests.toString(16).padStart(8, '0')}`;
  }

  private logShown(feed: Feed, now: number): void {
    this.d.impressions.add({
      slateId: feed.slateId,
      shopperId: feed.shopperId,
      itemIds: feed.items.map((it) => it.itemId),
      explored: feed.items.filter((it) => it.explored).map((it) => it.position),
      variant: feed.variant,
      experimentId: feed.experimentId,
      ts: now,
    });
    if (feed.experimentId !== null) this.d.impressions.expose({ experimentId: feed.experimentId, shopperId: feed.shopperId, variant: feed.variant, ts: now });
  }
}

/**
 * Puts a ranked new arrival into the slate before the first product it
 * outscores (the slate keeps its k places: the last one drops out); nothing
 * when it outscores none of a full slate (returns whether it went in).
 * Positions are renumbered.
 */
function insertByScore(items: FeedItem[], ranked: { item: Item; score: number; match?: number }, k: number): boolean {
  let at = items.findIndex((it) => it.score < ranked.score);
  if (at < 0) {
    if (items.length >= k) return false;
    at = items.length;
  }
  const { item, score, match } = ranked;
  items.splice(at, 0, Object.assign(itemView(item.id, item), { position: at, score, explored: false, newArrival: true }, match === undefined ? {} : { match }));
  if (items.length > k) items.length = k;
  items.forEach((it, p) => (it.position = p));
  return true;
}

/** The model's own score of a candidate (the re-rankers keep their own scores; the feed shows the model's). */
function scoreOf(candidates: Ranked, idx: number): number {
  const at = candidates.items.indexOf(idx);
  return at < 0 ? 0 : candidates.scores[at]!;
}

/** The shopper's taste in the model's content space: their history's profile, else their training row's; undefined without either. */
function tasteProfile(model: ServingModel, history: History, userIdx: number | undefined): Float32Array | undefined {
  const content = model.content;
  if (content === undefined) return undefined;
  if (history.items.length > 0) return content.profileOf(history.items, history.weights);
  return userIdx === undefined ? undefined : content.userProfile(userIdx);
}

function sessionEvents(model: ServingModel, state: ShopperState): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const e of state.recent) {
    const idx = model.bundle.items.get(e.itemId);
    if (idx !== undefined) out.push({ itemIdx: idx, type: e.type, ts: e.ts });
  }
  return out;
}
