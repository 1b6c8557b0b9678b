import { fail, throwIfAborted } from '../core/errors.js';
import { AlsModel } from './als.js';
import { checkNumber, checkOneOf, checkSeed, makeConfig, type ConfigValue } from './config.js';
import { ContentModel } from './content.js';
import { DvbprModel } from './dvbpr.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';
import { VbprModel } from './vbpr.js';

/**
 * Visual hybrid: ALS, a visual model (VBPR by default, or DVBPR) and the
 * content model, blended per item after standardising each part's scores
 * over the catalogue (z-scores, as hybrid.ts, so the scales agree):
 *
 *   s(u, i) = w_i z_cf(u, i) + (1 - w_i) [ρ z_vis(u, i) + (1 - ρ) z_content(u, i)]
 *   w_i = n_i / (n_i + k)
 *
 * with n_i the item's training interactions, k = `shrinkage` and
 * ρ = `visualShare`. Why this form: w_i is the hybrid's shrinkage weight,
 * how much the interaction evidence about item i can be trusted; what is
 * left, (1 - w_i), goes to the side information about the product, which
 * here has two sources, its image (the visual model) and its attributes and
 * text (content), averaged with weight ρ. Both are estimates of the same
 * preference from the product's description, with no prior reason to trust
 * one more, so the default is an even split (ρ = 0.5). With ρ = 0 the
 * scores are exactly hybrid.ts's (same parts, same seed), so an A/B test of
 * the two isolates what the images add. Well-known items lean on ALS; a new
 * or rarely seen product is ranked by how it looks and what it is.
 *
 * Not a registered model kind (recommender.ts's MODEL_KINDS is closed and
 * there is no artifact layout for it yet): it trains and scores in memory,
 * for simulated A/B tests (evaluate/simulate-ab-visual.ts).
 */
export type VisualHybridConfig = {
  visual: VisualKind;
  /** Hyperparameters of the ALS part (its defaults for the rest; seed defaults to this config's seed). */
  cfConfig: Readonly<Record<string, ConfigValue>>;
  /** Hyperparameters of the visual part. */
  visualConfig: Readonly<Record<string, ConfigValue>>;
  /** Hyperparameters of the content part. */
  contentConfig: Readonly<Record<string, ConfigValue>>;
  /** k of w_i = n_i / (n_i + k). */
  shrinkage: number;
  /** ρ: the visual part's share of the side information, in [0, 1]. */
  visualShare: number;
  seed: number;
};

export const VISUAL_KINDS = ['vbpr', 'dvbpr'] as const;
export type VisualKind = (typeof VISUAL_KINDS)[number];
type VisualModel = VbprModel | DvbprModel;

export const VISUAL_HYBRID_DEFAULTS: VisualHybridConfig = Object.freeze({
  visual: 'vbpr',
  cfConfig: {},
  visualConfig: {},
  contentConfig: {},
  shrinkage: 10,
  visualShare: 0.5,
  seed: 0,
});

interface Parts {
  cf: AlsModel;
  visual: VisualModel;
  content: ContentModel;
}

interface VisualHybridState extends Parts {
  nUsers: number;
  nItems: number;
  /** w_i = n_i / (n_i + shrinkage). */
  weights: Float32Array;
}

export class VisualHybridModel {
  readonly config: Readonly<VisualHybridConfig>;
  private state: VisualHybridState | undefined;

  constructor(config?: Partial<VisualHybridConfig>) {
    this.config = makeConfig('visual-hybrid', VISUAL_HYBRID_DEFAULTS, config, (c) => {
      checkOneOf('visual-hybrid', 'visual', c.visual, VISUAL_KINDS);
      checkNumber('visual-hybrid', 'shrinkage', c.shrinkage, 0);
      checkNumber('visual-hybrid', 'visualShare', c.visualShare, 0, 1);
      checkSeed('visual-hybrid', c.seed);
      c.cfConfig = Object.freeze({ ...c.cfConfig });
      c.visualConfig = Object.freeze({ ...c.visualConfig });
      c.contentConfig = Object.freeze({ ...c.contentConfig });
      // Validate the parts' hyperparameters now, not at fit time.
      partModels(c);
    });
  }

  get nUsers(): number {
    return this.state?.nUsers ?? 0;
  }

  get nItems(): number {
    return this.state?.nItems ?? 0;
  }

  /**
   * Fits content, ALS, then the visual part (which needs TrainData.visual
   * for VBPR, TrainData.images for DVBPR). `onEpoch` reports the visual
   * part's epochs, by far the longest fit.
   */
  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    checkTrainData('visual-hybrid', data);
    const signal = opts.signal === undefined ? {} : { signal: opts.signal };
    const parts = partModels(this.config);
    await parts.content.fit(data, signal);
    await parts.cf.fit(data, signal);
    await parts.visual.fit(data, { ...signal, ...(opts.onEpoch === undefined ? {} : { onEpoch: opts.onEpoch }) });
    throwIfAborted(opts.signal);
    const k = this.config.shrinkage;
    const weights = Float32Array.from(data.ui.columnCounts(), (n) => (n + k > 0 ? n / (n + k) : 0));
    this.dispose();
    this.state = { ...parts, nUsers: data.ui.nRows, nItems: data.ui.nCols, weights };
  }

  /** Scores of every item for a trained shopper. */
  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.forUser(userIdx);
    return this.mix(s, s.cf.scoreUser(userIdx), s.visual.scoreUser(userIdx), s.content.scoreUser(userIdx), out);
  }

  /**
   * A trained shopper whose history has grown since training: ALS folds the
   * current history in and content profiles it; the visual part has no
   * fold-in, so it keeps the shopper's trained vector (stale only by the
   * evidence it has not seen).
   */
  scoreUserHistory(userIdx: number, items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.forUser(userIdx);
    return this.mix(s, s.cf.scoreHistory(items, weights), s.visual.scoreUser(userIdx), s.content.scoreHistory(items, weights), out);
  }

  /**
   * A shopper known only by a history: without a trained vector the visual
   * part has nothing personal to add, so this is the ALS + content blend
   * (hybrid.ts's scoreHistory).
   */
  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.require();
    const o = out ?? new Float32Array(s.nItems);
    const ct = s.content.scoreHistory(items, weights);
    // ρ = 0: the visual argument is ignored.
    blendParts(s.cf.scoreHistory(items, weights), ct, ct, s.weights, 0, o);
    return o;
  }

  /** Frees the visual part's tensors (DVBPR's network); scoring still works. */
  dispose(): void {
    if (this.state?.visual instanceof DvbprModel) this.state.visual.dispose();
  }

  private mix(s: VisualHybridState, cf: Float32Array, vis: Float32Array, content: Float32Array, out?: Float32Array): Float32Array {
    const o = out ?? new Float32Array(s.nItems);
    if (o.length < s.nItems) fail('INVALID_ARGUMENT', `visual-hybrid: out holds ${o.length} values, needs ${s.nItems}`);
    blendParts(cf, vis, content, s.weights, this.config.visualShare, o);
    return o;
  }

  private require(): VisualHybridState {
    if (this.state === undefined) fail('NOT_FITTED', 'visual-hybrid: call fit() first');
    return this.state;
  }

  private forUser(userIdx: number): VisualHybridState {
    const s = this.require();
    if (!Number.isInteger(userIdx) || userIdx < 0 || userIdx >= s.nUsers) fail('UNKNOWN_ID', `visual-hybrid: no trained shopper with index ${userIdx}`);
    return s;
  }
}

/** Fresh, unfitted parts for a config (validates their hyperparameters). */
function partModels(c: VisualHybridConfig): Parts {
  const own = (p: Readonly<Record<string, ConfigValue>>): Record<string, unknown> => ({ seed: c.seed, ...p });
  return {
    cf: new AlsModel(own(c.cfConfig)),
    visual: c.visual === 'vbpr' ? new VbprModel(own(c.visualConfig)) : new DvbprModel(own(c.visualConfig)),
    content: new ContentModel(own(c.contentConfig)),
  };
}

/**
 * out[i] = w_i z(cf)_i + (1 - w_i) (ρ z(vis)_i + (1 - ρ) z(content)_i), z the
 * standardisation over all items (a constant vector standardises to zeros).
 * `out` may alias any input.
 */
export function blendParts(cf: Float32Array, vis: Float32Array, content: Float32Array, w: Float32Array, rho: number, out: Float32Array): void {
  const n = w.length;
  const a = moments(cf, n);
  const b = moments(vis, n);
  const c = moments(content, n);
  for (let i = 0; i < n; i++) {
    const side = rho * (vis[i]! - b.mean) * b.inv + (1 - rho) * (content[i]! - c.mean) * c.inv;
    out[i] = w[i]! * (cf[i]! - a.mean) * a.inv + (1 - w[i]!) * side;
  }
}

function moments(v: Float32Array, n: number): { mean: number; inv: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (v[i]! - mean) ** 2;
  const std = Math.sqrt(sq / n);
  return { mean, inv: std > 1e-12 ? 1 / std : 0 };
}
