import type { Manifest, Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import type { CsrMatrix } from '../data/csr.js';
import { cfKernels } from '../engine/cf/kernels.js';
import { checkInt, checkNumber, checkSeed, makeConfig } from './config.js';
import { buildItemFeatures } from './content-features.js';
import { csrFromTensors, csrTensors } from './csr-tensors.js';
import { normalizeHistory } from './history.js';
import { BaseRecommender, baseStateOf, checkLayout, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * Content-based filtering (paper 000, section 3.2): items are sparse vectors
 * of their attributes and text (content-features.ts, unit length); a
 * shopper's profile is the mean of their items' vectors weighted by
 * interaction strength (pass recency-decayed strengths in TrainData.ui or the
 * history to weight recent events more); score(u, i) = cos(profile_u, v_i).
 * It needs no interactions on the item side, so it ranks new (cold) products.
 */
export type ContentConfig = {
  categoricalWeight: number;
  numericWeight: number;
  textWeight: number;
  /** Quantile bins per numeric field (price, ...). */
  numericBins: number;
  maxVocab: number;
  minDf: number;
  seed: number;
};

export const CONTENT_DEFAULTS: ContentConfig = Object.freeze({
  categoricalWeight: 1,
  numericWeight: 0.5,
  textWeight: 1,
  numericBins: 5,
  maxVocab: 20000,
  minDf: 1,
  seed: 0,
});

/** Layout version: features.* (items x features CSR, unit rows) and ui.* (training rows, for profiles). */
export const CONTENT_VERSION = 1;

interface ContentState extends BaseState {
  features: CsrMatrix;
  ui: CsrMatrix;
}

export class ContentModel extends BaseRecommender<ContentConfig, ContentState> {
  readonly kind = 'content' as const;

  constructor(config?: Partial<ContentConfig>) {
    super(
      makeConfig('content', CONTENT_DEFAULTS, config, (c) => {
        checkNumber('content', 'categoricalWeight', c.categoricalWeight, 0);
        checkNumber('content', 'numericWeight', c.numericWeight, 0);
        checkNumber('content', 'textWeight', c.textWeight, 0);
        if (c.categoricalWeight + c.numericWeight + c.textWeight <= 0) fail('INVALID_ARGUMENT', 'content: at least one block weight must be > 0');
        checkInt('content', 'numericBins', c.numericBins, 1, 1000);
        checkInt('content', 'maxVocab', c.maxVocab, 0);
        checkInt('content', 'minDf', c.minDf, 1);
        checkSeed('content', c.seed);
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    throwIfAborted(opts.signal);
    const dataFingerprint = checkTrainData('content', data);
    if (data.content === undefined) {
      fail('INVALID_ARGUMENT', 'content: TrainData.content is missing; the content model needs item attributes and text', {
        hint: 'build it with buildItemContent(dataset.itemInfo) from src/data/item-content.ts',
      });
    }
    const t0 = performance.now();
    const features = buildItemFeatures(data.content, this.config);
    opts.onEpoch?.({ epoch: 1, epochs: 1, seconds: (performance.now() - t0) / 1000 });
    throwIfAborted(opts.signal);
    this.state = { nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, features, ui: data.ui };
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    return this.scoreProfile(s, s.ui.rowIndices(userIdx), s.ui.rowValues(userIdx), out);
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(items, weights, s.nItems);
    return this.scoreProfile(s, h.items, h.weights, out);
  }

  /** Cosine of every item's vector with the weighted mean of the given items' vectors (all zeros for an empty profile). */
  private scoreProfile(s: ContentState, items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const o = this.output(out, s.nItems);
    const { indptr, indices, data, nCols } = s.features;
    const profile = new Float64Array(nCols);
    for (let p = 0; p < items.length; p++) {
      const j = items[p]!;
      const w = weights[p]!;
      for (let q = indptr[j]!; q < indptr[j + 1]!; q++) profile[indices[q]!]! += w * data[q]!;
    }
    let norm = 0;
    for (let c = 0; c < nCols; c++) norm += profile[c]! * profile[c]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    // The unit profile in float32, then one sparse product over every item (native when built: the serving hot path).
    const unit = new Float32Array(nCols);
    for (let c = 0; c < nCols; c++) unit[c] = profile[c]! * inv;
    cfKernels().csrMatVec(indptr, indices, data, unit, s.nItems, o);
    return o;
  }

  /** The unit-length feature vector of every item (items x features CSR). */
  itemFeatures(): CsrMatrix {
    return this.requireState().features;
  }

  protected saveState(s: ContentState): SavedState {
    return {
      version: CONTENT_VERSION,
      tensors: { ...csrTensors('features', s.features), ...csrTensors('ui', s.ui) },
      extra: { nFeatures: s.features.nCols },
    };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): ContentModel {
    checkLayout(manifest, 'content', CONTENT_VERSION);
    const m = new ContentModel(manifest.hyperparameters as Partial<ContentConfig>);
    const base = baseStateOf(manifest);
    const nFeatures = manifest.extra.nFeatures;
    if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 0) fail('MODEL_INCOMPATIBLE', 'content artifact lacks nFeatures');
    m.state = { ...base, features: csrFromTensors(tensors, 'features', base.nItems, nFeatures), ui: csrFromTensors(tensors, 'ui', base.nUsers, base.nItems) };
    return m;
  }
}
