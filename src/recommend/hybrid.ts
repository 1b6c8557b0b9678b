import { tensor, type Manifest, type ManifestInput, type Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import { AlsModel } from './als.js';
import { BprModel } from './bpr.js';
import { checkNumber, checkOneOf, checkSeed, makeConfig, type ConfigValue } from './config.js';
import { partManifest, prefixed, unprefixed } from './composite.js';
import { ContentModel } from './content.js';
import { ItemKnnModel } from './itemknn.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * Hybrid (paper 000, section 3.2, "hybrid methods that merge the strengths
 * of collaborative and content-based filtering"): a CF model and the content
 * model, blended per item after standardising each model's scores over the
 * catalogue (z-scores, so the scales agree):
 *   s(u, i) = w_i z_cf(u, i) + (1 - w_i) z_content(u, i),  w_i = n_i / (n_i + k)
 * with n_i the item's training interactions and k = `shrinkage`. A product
 * nobody has interacted with (w_i = 0) is ranked by content alone, so it can
 * reach a shopper whose taste it matches; well-known items lean on CF.
 */
export type HybridConfig = {
  cf: CfKind;
  /** Hyperparameters of the CF part (its defaults for the rest; seed defaults to this config's seed). */
  cfConfig: Readonly<Record<string, ConfigValue>>;
  /** Hyperparameters of the content part. */
  contentConfig: Readonly<Record<string, ConfigValue>>;
  shrinkage: number;
  seed: number;
};

export const CF_KINDS = ['als', 'bpr', 'itemknn'] as const;
export type CfKind = (typeof CF_KINDS)[number];
type CfModel = AlsModel | BprModel | ItemKnnModel;

const CF_PARTS = {
  als: { create: (c: Record<string, unknown>) => new AlsModel(c), restore: AlsModel.restore },
  bpr: { create: (c: Record<string, unknown>) => new BprModel(c), restore: BprModel.restore },
  itemknn: { create: (c: Record<string, unknown>) => new ItemKnnModel(c), restore: ItemKnnModel.restore },
} satisfies Record<CfKind, { create(c: Record<string, unknown>): CfModel; restore(m: Manifest, t: Map<string, Tensor>): CfModel }>;

export const HYBRID_DEFAULTS: HybridConfig = Object.freeze({ cf: 'als', cfConfig: {}, contentConfig: {}, shrinkage: 10, seed: 0 });

/** Layout version: weights (w_i per item), cf.* and content.* (the parts' tensors); the parts' manifests in extra.parts. */
export const HYBRID_VERSION = 1;

interface HybridState extends BaseState {
  cf: CfModel;
  content: ContentModel;
  /** w_i = n_i / (n_i + shrinkage). */
  weights: Float32Array;
}

export class HybridModel extends BaseRecommender<HybridConfig, HybridState> {
  readonly kind = 'hybrid' as const;

  constructor(config?: Partial<HybridConfig>) {
    super(
      makeConfig('hybrid', HYBRID_DEFAULTS, config, (c) => {
        checkOneOf('hybrid', 'cf', c.cf, CF_KINDS);
        checkNumber('hybrid', 'shrinkage', c.shrinkage, 0);
        checkSeed('hybrid', c.seed);
        c.cfConfig = Object.freeze({ ...c.cfConfig });
        c.contentConfig = Object.freeze({ ...c.contentConfig });
        // Validate the parts' hyperparameters now, not at fit time.
        partModels(c);
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('hybrid', data);
    const { cf, content } = partModels(this.config);
    await content.fit(data, { ...(opts.signal ? { signal: opts.signal } : {}) });
    await cf.fit(data, opts);
    throwIfAborted(opts.signal);
    const counts = data.ui.columnCounts();
    const k = this.config.shrinkage;
    const weights = Float32Array.from(counts, (n) => (n + k > 0 ? n / (n + k) : 0));
    this.state = { nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, cf, content, weights };
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    const cf = s.cf.scoreUser(userIdx);
    blend(cf, s.content.scoreUser(userIdx), s.weights, o);
    return o;
  }

  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    const n = s.nItems;
    s.cf.scoreUsers(userIdxs, out);
    const ct = new Float32Array(n);
    for (let r = 0; r < userIdxs.length; r++) {
      const row = out.subarray(r * n, (r + 1) * n);
      blend(row, s.content.scoreUser(userIdxs[r]!, ct), s.weights, row);
    }
  }

  /** The fitted parts (shared, not copies: read only), for scorers that combine them their own way (serve/models/fast-scorer.ts). */
  parts(): { cf: CfModel; content: ContentModel; weights: Float32Array } {
    const s = this.requireState();
    return { cf: s.cf, content: s.content, weights: s.weights };
  }

  /** Content scores the history; CF joins in when it can score histories too (ALS fold-in, item-kNN). */
  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    const o = this.output(out, s.nItems);
    const ct = s.content.scoreHistory(items, weights);
    if (s.cf instanceof BprModel) blend(new Float32Array(s.nItems), ct, new Float32Array(s.nItems), o);
    else blend(s.cf.scoreHistory(items, weights), ct, s.weights, o);
    return o;
  }

  protected saveState(s: HybridState): SavedState {
    const cf = s.cf.artifact();
    const content = s.content.artifact();
    return {
      version: HYBRID_VERSION,
      tensors: { weights: tensor(s.weights), ...prefixed('cf', cf.tensors), ...prefixed('content', content.tensors) },
      extra: { parts: { cf: cf.input, content: content.input } },
    };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): HybridModel {
    checkLayout(manifest, 'hybrid', HYBRID_VERSION);
    const m = new HybridModel(manifest.hyperparameters as Partial<HybridConfig>);
    const base = baseStateOf(manifest);
    const parts = manifest.extra.parts as { cf?: ManifestInput; content?: ManifestInput } | undefined;
    if (parts?.cf === undefined || parts.content === undefined) fail('MODEL_INCOMPATIBLE', 'hybrid artifact lacks its parts');
    if (parts.cf.kind !== m.config.cf) fail('MODEL_INCOMPATIBLE', `hybrid artifact's CF part is "${parts.cf.kind}", config says "${m.config.cf}"`);
    const cf = CF_PARTS[m.config.cf].restore(partManifest(manifest, parts.cf), unprefixed('cf', tensors));
    const content = ContentModel.restore(partManifest(manifest, parts.content), unprefixed('content', tensors));
    m.state = { ...base, cf, content, weights: floatTensor(tensors, 'weights', [base.nItems]) };
    return m;
  }
}

/** Fresh, unfitted parts for a hybrid config (validates their hyperparameters). */
function partModels(c: HybridConfig): { cf: CfModel; content: ContentModel } {
  const cf = CF_PARTS[c.cf].create({ seed: c.seed, ...c.cfConfig });
  const content = new ContentModel({ seed: c.seed, ...(c.contentConfig as Record<string, unknown>) });
  return { cf, content };
}

/**
 * out[i] = w_i z(a)_i + (1 - w_i) z(b)_i with z the standardisation over all
 * items (a constant score vector standardises to zeros). `out` may alias `a`.
 * A caller that needs the parts' moments too computes them and passes them in.
 */
export function blend(a: Float32Array, b: Float32Array, w: Float32Array, out: Float32Array, sa = moments(a, w.length), sb = moments(b, w.length)): void {
  for (let i = 0; i < w.length; i++) {
    const wi = w[i]!;
    out[i] = wi * (a[i]! - sa.mean) * sa.inv + (1 - wi) * (b[i]! - sb.mean) * sb.inv;
  }
}

/** Mean and 1/std over the first n entries, in one pass (float64 sums; scores are O(1), so the cancellation is harmless). */
export function moments(v: Float32Array, n: number): { mean: number; inv: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    sum += x;
    sq += x * x;
  }
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  return { mean, inv: std > 1e-6 * Math.max(1, Math.abs(mean)) ? 1 / std : 0 };
}
