import { cfKernels, type Packed } from '../../engine/cf/kernels.js';
import { AlsModel } from '../../recommend/als.js';
import { ContentModel } from '../../recommend/content.js';
import type { ModelBundle } from '../../recommend/bundle.js';
import { blend, HybridModel, moments } from '../../recommend/hybrid.js';
import type { Recommender } from '../../recommend/recommender.js';
import { blendParts, VisualHybridModel } from '../../recommend/visual-hybrid.js';

/**
 * Serving-time scoring of one shopper against the whole catalog, as fast as
 * the request path needs (issue 7: p99 <= 20 ms at 500 requests/s). The
 * models' own scoreUser/scoreHistory compute x·y_i in TypeScript; here the
 * item factors are packed once per model and scored by the CF kernels
 * (native SIMD when built), the same kernels the batched evaluation uses:
 *   ALS:    x = trained user row, or the exact fold-in of the history; scores = Y x
 *   hybrid: its ALS part as above, its content part as the model does, blended
 *           per item exactly as HybridModel.scoreHistory (recommend/hybrid.ts)
 *   visual hybrid: the same, with its visual part's trained shopper vector
 *           (recommend/visual-hybrid.ts; scoreUserHistory for a trained
 *           shopper whose history has grown, which keeps that vector)
 * Results equal the model's own up to float rounding. Other models (and any
 * layout this does not recognise) use the model's methods unchanged.
 *
 * The returned array is a scratch buffer owned by the scorer, valid until its
 * next call: the feed reads it synchronously, and reusing it saves a 40 kB
 * allocation per request at 10,000 products (less garbage collection).
 */
export interface FastScorer {
  scoreUser(userIdx: number): Float32Array;
  scoreHistory(items: Int32Array, weights: Float32Array): Float32Array;
  /**
   * A trained shopper with their current history, for models whose trained
   * shopper vector carries something the history's fold-in cannot (the
   * visual hybrid); others leave it out and the history is scored alone.
   */
  scoreUserHistory?(userIdx: number, items: Int32Array, weights: Float32Array): Float32Array;
  /**
   * The shopper vector the last scoreUser/scoreHistory call scored with (the
   * ALS model: its trained row, or the fold-in of the history), for scoring
   * products newer than the model (recommend/arrival-factors.ts); read only.
   */
  shopperVector?(): Float32Array | undefined;
  /** For a hybrid over ALS: the mean and 1/std over the model's items of the last call's ALS scores (its z_cf standardisation). */
  cfMoments?(): { mean: number; inv: number } | undefined;
  /** For a hybrid: the same of its content scores (z_content). */
  contentMoments?(): { mean: number; inv: number } | undefined;
}

class AlsScorer implements FastScorer {
  private readonly packed: Packed;
  private readonly f: number;
  private readonly n: number;
  private readonly users: Float32Array;
  private readonly row = new Int32Array(1);
  private readonly out: Float32Array;
  private last: Float32Array | undefined;

  constructor(private readonly model: AlsModel) {
    const { userFactors, itemFactors } = model.factorViews();
    this.f = model.config.factors;
    this.n = model.nItems;
    this.users = userFactors;
    this.packed = cfKernels().pack(itemFactors, this.f, this.n);
    this.out = new Float32Array(this.n);
  }

  private score(x: Float32Array, row: number): Float32Array {
    this.row[0] = row;
    cfKernels().scoreRows(x, this.row, this.packed, this.f, this.n, this.out);
    return this.out;
  }

  scoreUser(userIdx: number): Float32Array {
    this.last = this.users.subarray(userIdx * this.f, (userIdx + 1) * this.f);
    return this.score(this.users, userIdx);
  }

  scoreHistory(items: Int32Array, weights: Float32Array): Float32Array {
    this.last = this.model.foldIn(items, weights);
    return this.score(this.last, 0);
  }

  shopperVector(): Float32Array | undefined {
    return this.last;
  }
}

class HybridScorer implements FastScorer {
  private readonly contentOut: Float32Array;
  private lastCfMoments: { mean: number; inv: number } | undefined;
  private lastContentMoments: { mean: number; inv: number } | undefined;

  constructor(
    private readonly cf: AlsScorer,
    private readonly content: ContentModel,
    private readonly weights: Float32Array,
  ) {
    this.contentOut = new Float32Array(content.nItems);
  }

  scoreUser(userIdx: number): Float32Array {
    return this.blendParts(this.cf.scoreUser(userIdx), this.content.scoreUser(userIdx, this.contentOut));
  }

  scoreHistory(items: Int32Array, weights: Float32Array): Float32Array {
    return this.blendParts(this.cf.scoreHistory(items, weights), this.content.scoreHistory(items, weights, this.contentOut));
  }

  /** Blends in place into `cf`, keeping both parts' moments (new-arrivals.ts scores products newer than the model on the same z scales). */
  private blendParts(cf: Float32Array, content: Float32Array): Float32Array {
    this.lastCfMoments = moments(cf, this.weights.length);
    this.lastContentMoments = moments(content, this.weights.length);
    blend(cf, content, this.weights, cf, this.lastCfMoments, this.lastContentMoments);
    return cf;
  }

  shopperVector(): Float32Array | undefined {
    return this.cf.shopperVector();
  }

  cfMoments(): { mean: number; inv: number } | undefined {
    return this.lastCfMoments;
  }

  contentMoments(): { mean: number; inv: number } | undefined {
    return this.lastContentMoments;
  }
}

class VisualHybridScorer implements FastScorer {
  private readonly visualOut: Float32Array;
  private readonly contentOut: Float32Array;
  private readonly cf: AlsScorer;
  private readonly parts: ReturnType<VisualHybridModel['parts']>;
  /** ρ, the visual part's share of the side information. */
  private readonly rho: number;

  constructor(model: VisualHybridModel) {
    this.parts = model.parts();
    this.rho = model.config.visualShare;
    this.cf = new AlsScorer(this.parts.cf);
    this.visualOut = new Float32Array(model.nItems);
    this.contentOut = new Float32Array(model.nItems);
  }

  scoreUser(userIdx: number): Float32Array {
    const { visual, content, weights } = this.parts;
    const out = this.cf.scoreUser(userIdx);
    blendParts(out, visual.scoreUser(userIdx, this.visualOut), content.scoreUser(userIdx, this.contentOut), weights, this.rho, out);
    return out;
  }

  scoreUserHistory(userIdx: number, items: Int32Array, weights: Float32Array): Float32Array {
    const p = this.parts;
    const out = this.cf.scoreHistory(items, weights);
    blendParts(out, p.visual.scoreUser(userIdx, this.visualOut), p.content.scoreHistory(items, weights, this.contentOut), p.weights, this.rho, out);
    return out;
  }

  /** Without a trained shopper the visual part has nothing personal: ALS and content, as the model's scoreHistory (ρ = 0). */
  scoreHistory(items: Int32Array, weights: Float32Array): Float32Array {
    const p = this.parts;
    const out = this.cf.scoreHistory(items, weights);
    const ct = p.content.scoreHistory(items, weights, this.contentOut);
    blendParts(out, ct, ct, p.weights, 0, out);
    return out;
  }
}

/** The hybrid's own fitted parts when its CF part is ALS (no second restore: a model swap in the server stays short). */
function hybridScorer(model: HybridModel): FastScorer | undefined {
  const { cf, content, weights } = model.parts();
  return cf instanceof AlsModel ? new HybridScorer(new AlsScorer(cf), content, weights) : undefined;
}

/** The fast scorer of a bundle's model, or the model's own methods. */
export function fastScorer(bundle: ModelBundle): FastScorer {
  const m = bundle.model;
  if (m instanceof AlsModel) return new AlsScorer(m);
  if (m instanceof HybridModel) {
    const h = hybridScorer(m);
    if (h !== undefined) return h;
  }
  if (m instanceof VisualHybridModel) return new VisualHybridScorer(m);
  return ownScorer(m, bundle.popularity);
}

/** The model's own methods (no fast path for its kind). */
function ownScorer(m: Recommender, popularity: Float32Array): FastScorer {
  return {
    scoreUser: (u) => m.scoreUser(u),
    scoreHistory: (items, weights) => (m.scoreHistory !== undefined ? m.scoreHistory(items, weights) : popularity),
  };
}
