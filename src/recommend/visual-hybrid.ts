import { tensor, type Manifest, type ManifestInput, type Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import { AlsModel } from './als.js';
import { partManifest, prefixed, unprefixed } from './composite.js';
import { checkNumber, checkOneOf, checkSeed, makeConfig, type ConfigValue } from './config.js';
import { ContentModel } from './content.js';
import { DvbprModel } from './dvbpr.js';
import { BaseRecommender, baseStateOf, checkIndex, checkLayout, floatTensor, type BaseState, type SavedState } from './model-base.js';
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
 * A registered kind: `vitrine train visual-hybrid` saves it, the server
 * serves it (a trained shopper's folded-in history through
 * scoreUserHistory), and the simulated A/B test trains it in memory
 * (evaluate/simulate-ab-visual.ts).
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

interface VisualHybridState extends Parts, BaseState {
  /** w_i = n_i / (n_i + shrinkage). */
  weights: Float32Array;
}

/** Layout version: weights (w_i per item), cf.*, visual.* and content.* (the parts' tensors); the parts' manifests in extra.parts. */
export const VISUAL_HYBRID_VERSION = 1;

export class VisualHybridModel extends BaseRecommender<VisualHybridConfig, VisualHybridState> {
  readonly kind = 'visual-hybrid' as const;

  constructor(config?: Partial<VisualHybridConfig>) {
    super(
      makeConfig('visual-hybrid', VISUAL_HYBRID_DEFAULTS, config, (c) => {
        checkOneOf('visual-hybrid', 'visual', c.visual, VISUAL_KINDS);
        checkNumber('visual-hybrid', 'shrinkage', c.shrinkage, 0);
        checkNumber('visual-hybrid', 'visualShare', c.visualShare, 0, 1);
        checkSeed('visual-hybrid', c.seed);
        c.cfConfig = Object.freeze({ ...c.cfConfig });
        c.visualConfig = Object.freeze({ ...c.visualConfig });
        c.contentConfig = Object.freeze({ ...c.contentConfig });
        // Validate the parts' hyperparameters now, not at fit time.
        partModels(c);
      }),
    );
  }

  /**
   * Fits content, ALS, then the visual part (which needs TrainData.visual
   * for VBPR, TrainData.images for DVBPR). `onEpoch` reports the visual
   * part's epochs, by far the longest fit.
   */
  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('visual-hybrid', data);
    const signal = opts.signal === undefined ? {} : { signal: opts.signal };
    const parts = partModels(this.config);
    await parts.content.fit(data, signal);
    await parts.cf.fit(data, signal);
    await parts.visual.fit(data, { ...signal, ...(opts.onEpoch === undefined ? {} : { onEpoch: opts.onEpoch }) });
    throwIfAborted(opts.signal);
    const k = this.config.shrinkage;
    const weights = Float32Array.from(data.ui.columnCounts(), (n) => (n + k > 0 ? n / (n + k) : 0));
    this.dispose();
    this.state = { ...parts, nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, weights };
  }

  /** Scores of every item for a trained shopper. */
  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    return this.mix(s, s.cf.scoreUser(userIdx), s.visual.scoreUser(userIdx), s.content.scoreUser(userIdx), out);
  }

  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    const n = s.nItems;
    if (out.length < userIdxs.length * n) fail('INVALID_ARGUMENT', `scoreUsers: out holds ${out.length} values, needs ${userIdxs.length * n}`);
    for (const u of userIdxs) checkIndex(u, s.nUsers, 'user');
    s.cf.scoreUsers(userIdxs, out);
    const vis = new Float32Array(n);
    const ct = new Float32Array(n);
    for (let r = 0; r < userIdxs.length; r++) {
      const row = out.subarray(r * n, (r + 1) * n);
      const u = userIdxs[r]!;
      blendParts(row, s.visual.scoreUser(u, vis), s.content.scoreUser(u, ct), s.weights, this.config.visualShare, row);
    }
  }

  /**
   * A trained shopper whose history has grown since training: ALS folds the
   * current history in and content profiles it; the visual part has no
   * fold-in, so it keeps the shopper's trained vector (stale only by the
   * evidence it has not seen).
   */
  scoreUserHistory(userIdx: number, items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    return this.mix(s, s.cf.scoreHistory(items, weights), s.visual.scoreUser(userIdx), s.content.scoreHistory(items, weights), out);
  }

  /**
   * A shopper known only by a history: without a trained vector the visual
   * part has nothing personal to add, so this is the ALS + content blend
   * (hybrid.ts's scoreHistory).
   */
  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    const o = this.output(out, s.nItems);
    const ct = s.content.scoreHistory(items, weights);
    // ρ = 0: the visual argument is ignored.
    blendParts(s.cf.scoreHistory(items, weights), ct, ct, s.weights, 0, o);
    return o;
  }

  /** The fitted parts (shared, not copies: read only), for scorers that combine them their own way (serve/models/fast-scorer.ts). */
  parts(): { cf: AlsModel; visual: VisualModel; content: ContentModel; weights: Float32Array } {
    const s = this.requireState();
    return { cf: s.cf, visual: s.visual, content: s.content, weights: s.weights };
  }

  /** Frees the visual part's tensors (DVBPR's network, if built); scoring still works. */
  dispose(): void {
    if (this.state?.visual instanceof DvbprModel) this.state.visual.dispose();
  }

  protected saveState(s: VisualHybridState): SavedState {
    const cf = s.cf.artifact();
    const visual = s.visual.artifact();
    const content = s.content.artifact();
    return {
      version: VISUAL_HYBRID_VERSION,
      tensors: { weights: tensor(s.weights), ...prefixed('cf', cf.tensors), ...prefixed('visual', visual.tensors), ...prefixed('content', content.tensors) },
      extra: { parts: { cf: cf.input, visual: visual.input, content: content.input } },
    };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): VisualHybridModel {
    checkLayout(manifest, 'visual-hybrid', VISUAL_HYBRID_VERSION);
    const m = new VisualHybridModel(manifest.hyperparameters as Partial<VisualHybridConfig>);
    const base = baseStateOf(manifest);
    const parts = manifest.extra.parts as { cf?: ManifestInput; visual?: ManifestInput; content?: ManifestInput } | undefined;
    if (parts?.cf === undefined || parts.visual === undefined || parts.content === undefined) fail('MODEL_INCOMPATIBLE', 'visual-hybrid artifact lacks its parts');
    if (parts.visual.kind !== m.config.visual) fail('MODEL_INCOMPATIBLE', `visual-hybrid artifact's visual part is "${parts.visual.kind}", config says "${m.config.visual}"`);
    const part = <T>(name: string, input: ManifestInput, restore: (mf: Manifest, t: Map<string, Tensor>) => T): T => restore(partManifest(manifest, input), unprefixed(name, tensors));
    const restoreVisual = (mf: Manifest, t: Map<string, Tensor>): VisualModel => (m.config.visual === 'vbpr' ? VbprModel.restore(mf, t) : DvbprModel.restore(mf, t));
    m.state = {
      ...base,
      cf: part('cf', parts.cf, AlsModel.restore),
      visual: part('visual', parts.visual, restoreVisual),
      content: part('content', parts.content, ContentModel.restore),
      weights: floatTensor(tensors, 'weights', [base.nItems]),
    };
    return m;
  }

  private mix(s: VisualHybridState, cf: Float32Array, vis: Float32Array, content: Float32Array, out?: Float32Array): Float32Array {
    const o = this.output(out, s.nItems);
    blendParts(cf, vis, content, s.weights, this.config.visualShare, o);
    return o;
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
