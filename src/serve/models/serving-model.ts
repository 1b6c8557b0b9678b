import type { Tensor } from '../../core/artifact.js';
import { isAvailable, type Item } from '../../data/schema.js';
import { AlsModel } from '../../recommend/als.js';
import type { ModelBundle } from '../../recommend/bundle.js';
import { ContentModel } from '../../recommend/content.js';
import { HybridModel } from '../../recommend/hybrid.js';
import { VisualHybridModel } from '../../recommend/visual-hybrid.js';
import { catalogTag } from '../compact/codec.js';
import { fastScorer, type FastScorer } from './fast-scorer.js';

/** Per item index: category, price, availability, primary colour and pattern codes (-1 unknown), and the category names. */
interface Columns {
  category: Int32Array;
  price: Float32Array;
  unavailable: Uint8Array;
  colour: Int32Array;
  pattern: Int32Array;
  names: readonly string[];
  anyUnavailable: boolean;
}

/** Instances made so far (ServingModel.serial). */
let serials = 0;

/**
 * A loaded bundle plus what the request path needs precomputed once per
 * model (issue: "keep models in memory, precompute what can be
 * precomputed"): per-item category codes and prices for filters, unit-length
 * item vectors for similarity (the model's item factors when it has them,
 * e.g. ALS or the CF part of a hybrid), attribute codes as the fallback
 * similarity, and the catalog tag of the compact delivery format. Each is
 * built on first use (or by warm()), so a model loaded but not served, such
 * as a trained model that was not activated, costs the event loop only its
 * loading.
 */
export class ServingModel {
  /** Unique per instance in this process (caches name a model by it without holding it alive). */
  readonly serial = ++serials;
  readonly itemIds: readonly string[];
  readonly nItems: number;
  /** Bumped each time the columns are recomputed (cached candidates compiled against older ones are stale). */
  columnsVersion = 0;
  /** The filter and similarity columns: built on first use, so a model loaded but not served (a trained model not activated) costs the event loop no pass over the catalog. */
  private cols: Columns | undefined;
  private readonly factors: Float32Array | undefined;
  private unit: Float32Array | null | undefined;
  readonly dim: number;
  private tag: number | undefined;
  readonly loadedAt: number;
  private fast: FastScorer | undefined;
  /** The model can score a history (fold-in). */
  readonly canFoldIn: boolean;
  private contentPart: ContentModel | null | undefined;
  private readonly itemOf: (id: string) => Item | undefined;

  constructor(
    readonly name: string,
    readonly bundle: ModelBundle,
    itemOf: (id: string) => Item | undefined,
  ) {
    this.itemIds = bundle.items.toArray();
    this.nItems = this.itemIds.length;
    const factors = itemFactorsOf(bundle);
    this.dim = factors === undefined ? 0 : factors.length / this.nItems;
    this.factors = factors;
    this.loadedAt = Date.now();
    this.canFoldIn = bundle.model.scoreHistory !== undefined;
    this.itemOf = itemOf;
  }

  /**
   * The model's content part (the content model itself, or the content part
   * of a hybrid or visual hybrid) when it has its feature space: it can place
   * products newer than the model by their attributes and text. Settled on
   * first use (a part saved before the space was kept recovers it then, from
   * the catalog: not at start-up, and not at all while no product is new).
   */
  get content(): ContentModel | undefined {
    if (this.contentPart === undefined) this.contentPart = contentPartOf(this.bundle, this.itemIds, this.itemOf) ?? null;
    return this.contentPart ?? undefined;
  }

  /** Builds now what is otherwise built on first use (the columns, the scorer): a model about to be served. */
  warm(): this {
    this.columns();
    void this.scorer;
    return this;
  }

  /** Whole-catalog scoring for one shopper through the CF kernels (fast-scorer.ts); built on first use, as the columns. */
  get scorer(): FastScorer {
    return (this.fast ??= fastScorer(this.bundle));
  }

  /** The compact delivery format's tag of this model's catalog (built on first use). */
  get catalogTag(): number {
    return (this.tag ??= catalogTag(this.itemIds));
  }

  /** category code per item index; -1 when the catalog has no row. */
  get category(): Int32Array {
    return this.columns().category;
  }

  get categoryNames(): readonly string[] {
    return this.columns().names;
  }

  /** price per item index; NaN when unknown. */
  get price(): Float32Array {
    return this.columns().price;
  }

  /** 1 for a product the catalog marks unavailable (schema.ts isAvailable): never recommended. */
  get unavailable(): Uint8Array {
    return this.columns().unavailable;
  }

  /** Some product is unavailable (else the filters skip the check). */
  get anyUnavailable(): boolean {
    return this.columns().anyUnavailable;
  }

  private columns(): Columns {
    return (this.cols ??= this.buildColumns());
  }

  /**
   * (Re)computes the filter and similarity columns from the catalog, in
   * place (after products changed: cheap, unlike rebuilding the scorer);
   * columns not built yet stay so (they are built from the catalog then).
   */
  updateColumns(itemOf: (id: string) => Item | undefined): void {
    if (this.cols !== undefined) this.buildColumns(itemOf, this.cols);
  }

  private buildColumns(itemOf = this.itemOf, reuse?: Columns): Columns {
    const n = this.nItems;
    const c: Columns = reuse ?? { category: new Int32Array(n), price: new Float32Array(n), unavailable: new Uint8Array(n), colour: new Int32Array(n), pattern: new Int32Array(n), names: [], anyUnavailable: false };
    const cats = new Codes();
    const colours = new Codes();
    const patterns = new Codes();
    let anyUnavailable = false;
    this.itemIds.forEach((id, i) => {
      const it = itemOf(id);
      c.category[i] = it === undefined ? -1 : cats.code(it.category);
      c.price[i] = it?.price ?? Number.NaN;
      c.unavailable[i] = it !== undefined && !isAvailable(it) ? 1 : 0;
      anyUnavailable ||= c.unavailable[i] === 1;
      c.colour[i] = colours.code(it?.attributes.primaryColour);
      c.pattern[i] = patterns.code(it?.attributes.pattern);
    });
    c.names = cats.names;
    c.anyUnavailable = anyUnavailable;
    // Rebuilt in place: what was compiled against the old columns is stale (a first build has no such readers).
    if (reuse !== undefined) this.columnsVersion++;
    return c;
  }

  /**
   * Unit item vectors (nItems x dim), or null when the model has no item
   * factors: built on first use, so swapping a model in blocks the event
   * loop for less (a few ms at 10,000 products, paid by the first request).
   */
  get vectors(): Float32Array | null {
    if (this.unit === undefined) this.unit = this.factors === undefined ? null : unitRows(this.factors, this.nItems, this.dim);
    return this.unit;
  }

  /** The code of a category name, or -1 when no item of this model has it. */
  categoryCode(name: string): number {
    return this.categoryNames.indexOf(name);
  }

  /**
   * Item similarity in [0, 1]: the cosine of the item vectors clipped at 0,
   * or, without vectors, shared attributes (category 0.5, colour 0.3, pattern 0.2).
   */
  sim(a: number, b: number): number {
    const v = this.vectors;
    if (v !== null) {
      const d = this.dim;
      let dot = 0;
      for (let j = 0, pa = a * d, pb = b * d; j < d; j++) dot += v[pa + j]! * v[pb + j]!;
      return dot > 0 ? dot : 0;
    }
    const c = this.columns();
    const same = (x: Int32Array): boolean => x[a]! >= 0 && x[a] === x[b];
    return (same(c.category) ? 0.5 : 0) + (same(c.colour) ? 0.3 : 0) + (same(c.pattern) ? 0.2 : 0);
  }
}

/** Small interner: string → dense code. */
class Codes {
  readonly names: string[] = [];
  private readonly map = new Map<string, number>();

  code(v: unknown): number {
    if (typeof v !== 'string') return -1;
    let c = this.map.get(v);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(v);
      this.map.set(v, c);
    }
    return c;
  }
}

/** The content part, if it has its feature space (one saved before the space was kept recovers it from the catalog when the catalog still holds what it was trained on). */
function contentPartOf(bundle: ModelBundle, itemIds: readonly string[], itemOf: (id: string) => Item | undefined): ContentModel | undefined {
  const m = bundle.model;
  const part = m instanceof ContentModel ? m : m instanceof HybridModel || m instanceof VisualHybridModel ? m.parts().content : undefined;
  return part?.recoverFeatureSpace(itemIds.map(itemOf)) === true ? part : undefined;
}

/**
 * The model's item factors (nItems x d), when it has them: ALS's (or the
 * ALS part of a hybrid or a visual hybrid) read in place; another model's "itemFactors" (or a
 * composite's "cf.itemFactors") tensor from its artifact.
 */
function itemFactorsOf(bundle: ModelBundle): Float32Array | undefined {
  const m = bundle.model;
  const cf = m instanceof HybridModel || m instanceof VisualHybridModel ? m.parts().cf : m;
  if (cf instanceof AlsModel) return cf.factorViews().itemFactors;
  const model = m as { artifact?: () => { tensors: Record<string, Tensor> } };
  if (typeof model.artifact !== 'function') return undefined;
  const tensors = model.artifact().tensors;
  const t = tensors.itemFactors ?? tensors['cf.itemFactors'];
  if (t === undefined || t.shape.length !== 2 || t.shape[0] !== bundle.items.size || !(t.data instanceof Float32Array)) return undefined;
  return t.data;
}

function unitRows(data: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let sq = 0;
    for (let j = o, end = o + d; j < end; j++) {
      const v = data[j]!;
      sq += v * v;
    }
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = o, end = o + d; j < end; j++) out[j] = data[j]! * inv;
  }
  return out;
}
