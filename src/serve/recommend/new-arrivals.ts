import type { Rng } from '../../core/rng.js';
import { isAvailable, type Item } from '../../data/schema.js';
import type { FeatureRow } from '../../recommend/content-features.js';
import { HybridModel } from '../../recommend/hybrid.js';
import { VisualHybridModel } from '../../recommend/visual-hybrid.js';
import type { ItemCatalog } from '../item-catalog.js';
import { FOLDS_PER_REQUEST, type ArrivalFactors } from './arrival-factors.js';
import type { ServingModel } from '../models/serving-model.js';
import type { FilterQuery } from './slate-filter.js';

/**
 * New arrivals: catalog products the served model does not know (added
 * after it was trained), which its scores cannot rank. The feed explores
 * them: at the bandit's exploration rate one of them, among those that pass
 * the request's filters, takes the slate's last place, so a seller's new
 * product is shown, clicked and bought before the next retraining learns it.
 *
 * Which one: when the model has a content part that kept its feature space
 * (content, hybrid, visual hybrid: ServingModel.content), each new product
 * gets its attribute-and-text vector in that space, and the shopper's taste
 * profile (their history's mean vector) is matched against them: a product
 * is drawn with probability proportional to exp(MATCH_SHARPNESS · match),
 * match the cosine in [0, 1], so new products go mostly to the shoppers
 * whose taste they fit while every one is still shown. Otherwise (no content
 * part, or no history) the draw is uniform. Besides, such a model ranks the
 * best-matching new product as it ranks its own products nobody has bought
 * (best(): by its content part alone), so the feed gives it a regular place
 * when that score earns one. An ALS model ranks a new product once shoppers
 * it knows have interacted with it, by the item vector those interactions
 * imply (bestByFactors, arrival-factors.ts). The list and the vectors are
 * computed once per model and catalog version.
 */
export const MATCH_SHARPNESS = 10;

interface Arrivals {
  version: number;
  items: Item[];
  /** Their vectors in the model's content space, built on first use (undefined entries without a content part). */
  rows?: (FeatureRow | undefined)[];
}

export interface PickedArrival {
  item: Item;
  /** The cosine of the product's vector with the shopper's profile, when they were matched. */
  match?: number;
}

export class NewArrivals {
  private readonly cache = new WeakMap<ServingModel, Arrivals>();
  /** Each product's vector in a model's content space, by the catalog's object for it (an edited product is a new object), so a catalog change recomputes only what changed. */
  private readonly rowCache = new WeakMap<ServingModel, WeakMap<Item, FeatureRow | null>>();

  constructor(
    private readonly catalog: ItemCatalog,
    private readonly factors?: ArrivalFactors,
  ) {}

  /** Catalog products `model` does not know, in catalog order. */
  of(model: ServingModel): readonly Item[] {
    return this.entry(model).items;
  }

  /**
   * One new arrival for a slate, among those that are available, pass the
   * filters (categories by name, price range: a product without a price
   * fails a price filter), are not excluded and not in the shopper's
   * history; drawn by taste when the model has a content part and `profile`
   * gives the shopper's (ContentModel.profileOf, unit; asked for only then),
   * else uniformly; undefined when none qualifies.
   */
  pick(model: ServingModel, q: FilterQuery, seen: (id: string) => boolean, rng: Rng, profile?: () => Float32Array | undefined): PickedArrival | undefined {
    const entry = this.entry(model);
    const ok = eligible(entry.items, q, seen);
    if (ok.length === 0) return undefined;
    const taste = model.content === undefined ? undefined : profile?.();
    if (taste === undefined) return { item: entry.items[ok[rng.int(ok.length)]!]! };
    const rows = this.rows(model, entry);
    const match = ok.map((i) => Math.max(0, dot(rows[i], taste)));
    const weights = match.map((m) => Math.exp(MATCH_SHARPNESS * m));
    let r = rng.next() * weights.reduce((a, b) => a + b, 0);
    let t = 0;
    while (t < ok.length - 1 && (r -= weights[t]!) >= 0) t++;
    return { item: entry.items[ok[t]!]!, match: match[t]! };
  }

  /**
   * The new arrival the model itself would rank highest for this shopper,
   * with its score on the model's own scale, for a model with a content
   * part: a product nobody has interacted with is scored by its content
   * part alone, as the model scores its own cold items. The content model:
   * the cosine; the hybrid: (1 − w_i) z_content with w_i = 0, z the
   * standardisation over the model's items of the shopper's content scores
   * (`contentMoments`, over the model's items); the visual hybrid: (1 − ρ) times
   * that for a trained shopper (its visual part, unknown for a new product,
   * taken as average), the whole z for one known by history only (its
   * scoring leaves the visual part out then). A hybrid over ALS scores a
   * new product that shoppers it knows have interacted with as one of its
   * own items: w z_cf + (1 − w) z_content, w = n / (n + shrinkage) with n
   * those shoppers, z_cf from the product's folded-in ALS vector
   * (arrival-factors.ts) and `cf`, the shopper's ALS vector with the
   * moments of their ALS scores. Undefined without a content part, a
   * profile or an eligible new product.
   */
  best(
    model: ServingModel,
    q: FilterQuery,
    seen: (id: string) => boolean,
    taste: { profile: Float32Array; contentMoments: () => { mean: number; inv: number }; trained: boolean; cf?: { vector: Float32Array; moments: { mean: number; inv: number } } },
  ): PickedArrival & { score: number } | undefined {
    const content = model.content;
    if (content === undefined) return undefined;
    const entry = this.entry(model);
    const ok = eligible(entry.items, q, seen);
    if (ok.length === 0) return undefined;
    const rows = this.rows(model, entry);
    const m = model.bundle.model;
    const share = m instanceof VisualHybridModel && taste.trained ? 1 - m.config.visualShare : 1;
    const z = m === content ? undefined : taste.contentMoments();
    // A hybrid over ALS also scores a new product others have interacted with by its folded-in ALS vector, weighted as its own items: w = n / (n + shrinkage).
    const cf = m instanceof HybridModel ? taste.cf : undefined;
    const shrinkage = m instanceof HybridModel ? m.config.shrinkage : 0;
    const budget = { left: FOLDS_PER_REQUEST };
    let bestAt = -1;
    let bestScore = -Infinity;
    let bestMatch = 0;
    for (const i of ok) {
      const match = dot(rows[i], taste.profile);
      let score = z === undefined ? match : share * (match - z.mean) * z.inv;
      const f = cf === undefined ? undefined : this.factors?.vectorOf(model, entry.items[i]!.id, budget);
      if (f !== undefined) {
        const w = f.users / (f.users + shrinkage);
        score = w * (dotDense(cf!.vector, f.vector) - cf!.moments.mean) * cf!.moments.inv + (1 - w) * score;
      }
      if (score > bestScore) [bestAt, bestScore, bestMatch] = [i, score, match];
    }
    return { item: entry.items[bestAt]!, match: Math.max(0, bestMatch), score: bestScore };
  }

  /**
   * For an ALS model: the new arrival it scores highest for the shopper
   * vector `shopper`, x · y with y the product's folded-in item vector, on
   * the model's own scale; undefined when no eligible new product has one
   * yet (nobody the model knows has interacted with it).
   */
  bestByFactors(model: ServingModel, q: FilterQuery, seen: (id: string) => boolean, shopper: Float32Array): PickedArrival & { score: number } | undefined {
    if (this.factors?.supports(model) !== true) return undefined;
    const entry = this.entry(model);
    const budget = { left: FOLDS_PER_REQUEST };
    let best: Item | undefined;
    let bestScore = -Infinity;
    for (const i of eligible(entry.items, q, seen)) {
      const y = this.factors.vectorOf(model, entry.items[i]!.id, budget);
      if (y === undefined) continue;
      const s = dotDense(shopper, y.vector);
      if (s > bestScore) [best, bestScore] = [entry.items[i]!, s];
    }
    return best === undefined ? undefined : { item: best, score: bestScore };
  }

  private rows(model: ServingModel, entry: Arrivals): (FeatureRow | undefined)[] {
    let kept = this.rowCache.get(model);
    if (kept === undefined) this.rowCache.set(model, (kept = new WeakMap()));
    const cache = kept;
    return (entry.rows ??= entry.items.map((it) => {
      let row = cache.get(it);
      if (row === undefined) cache.set(it, (row = model.content!.featureRow(it) ?? null));
      return row ?? undefined;
    }));
  }

  private entry(model: ServingModel): Arrivals {
    const hit = this.cache.get(model);
    if (hit !== undefined && hit.version === this.catalog.version) return hit;
    const items: Item[] = [];
    for (const it of this.catalog.all()) if (!model.bundle.items.has(it.id)) items.push(it);
    const entry: Arrivals = { version: this.catalog.version, items };
    this.cache.set(model, entry);
    return entry;
  }
}

/** Indices into `items` of those available, passing the filters (categories by name, price range: a product without a price fails a price filter), not excluded and not in the shopper's history. */
function eligible(items: readonly Item[], q: FilterQuery, seen: (id: string) => boolean): number[] {
  const cats = q.categories !== undefined && q.categories.length > 0 ? new Set(q.categories) : undefined;
  const excluded = q.exclude !== undefined && q.exclude.length > 0 ? new Set(q.exclude) : undefined;
  const ok: number[] = [];
  items.forEach((it, i) => {
    if (!isAvailable(it) || seen(it.id) || excluded?.has(it.id) === true) return;
    if (cats !== undefined && !cats.has(it.category)) return;
    if (q.minPrice !== undefined && !(it.price !== null && it.price >= q.minPrice)) return;
    if (q.maxPrice !== undefined && !(it.price !== null && it.price <= q.maxPrice)) return;
    ok.push(i);
  });
  return ok;
}

function dotDense(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < b.length; j++) s += a[j]! * b[j]!;
  return s;
}

function dot(row: FeatureRow | undefined, dense: Float32Array): number {
  if (row === undefined) return 0;
  let s = 0;
  for (let t = 0; t < row.indices.length; t++) s += row.data[t]! * dense[row.indices[t]!]!;
  return s;
}
