import type { Manifest, Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import type { CsrMatrix } from '../data/csr.js';
import { buildItemContent } from '../data/item-content.js';
import type { Item } from '../data/schema.js';
import { cfKernels } from '../engine/cf/kernels.js';
import { checkInt, checkNumber, checkSeed, makeConfig } from './config.js';
import { buildContentFeatures, CompiledSpace, itemFeatureRow, type ContentSpace, type FeatureRow } from './content-features.js';
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
 * It needs no interactions on the item side, so it ranks new (cold) products,
 * even one added after training: the fitted feature space is saved with the
 * model (layout 2), and featureRow(item) gives such a product its vector.
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

/**
 * Layout version: features.* (items x features CSR, unit rows) and ui.*
 * (training rows, for profiles); 2 adds extra.space (the ContentSpace). A
 * layout-1 artifact still scores its items but cannot featurise new ones.
 */
export const CONTENT_VERSION = 2;

interface ContentState extends BaseState {
  features: CsrMatrix;
  ui: CsrMatrix;
  space?: CompiledSpace;
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
    const { features, space } = buildContentFeatures(data.content, this.config);
    opts.onEpoch?.({ epoch: 1, epochs: 1, seconds: (performance.now() - t0) / 1000 });
    throwIfAborted(opts.signal);
    this.state = { nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, features, ui: data.ui, space: new CompiledSpace(space) };
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    return this.scoreProfile(unitProfile(s.features, s.ui.rowIndices(userIdx), s.ui.rowValues(userIdx)), out);
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(items, weights, s.nItems);
    return this.scoreProfile(unitProfile(s.features, h.items, h.weights), out);
  }

  /**
   * Every item's vector dotted with a dense vector of the feature space (a
   * unit profile from profileOf/userProfile: the cosines): one sparse
   * product over every item, native when built (the serving hot path).
   */
  scoreProfile(profile: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    if (profile.length !== s.features.nCols) fail('INVALID_ARGUMENT', `content: a profile has ${profile.length} values, the model's features ${s.features.nCols}`);
    const o = this.output(out, s.nItems);
    cfKernels().csrMatVec(s.features.indptr, s.features.indices, s.features.data, profile, s.nItems, o);
    return o;
  }

  /**
   * The unit-length profile (features long) of a history: the weighted mean
   * of its items' vectors (item indices may repeat; zeros when empty). A
   * shopper's taste in the feature space, to match products against.
   */
  profileOf(items: Int32Array, weights: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(items, weights, s.nItems);
    return unitProfile(s.features, h.items, h.weights);
  }

  /** The profile of a training shopper (their training rows). */
  userProfile(userIdx: number): Float32Array {
    const s = this.stateForUser(userIdx);
    return unitProfile(s.features, s.ui.rowIndices(userIdx), s.ui.rowValues(userIdx));
  }

  /**
   * The unit vector of a product, known or not, from its catalog row, in the
   * space the model was fitted in; undefined for a layout-1 model (saved
   * before the space was kept).
   */
  featureRow(item: Item): FeatureRow | undefined {
    const space = this.requireState().space;
    return space === undefined ? undefined : itemFeatureRow(space, item);
  }

  /**
   * Gives a layout-1 model (saved before the space was kept) its feature
   * space back, from the catalog rows of its items (in the model's item
   * order): the space is fitted again on them and adopted only if it makes
   * exactly the stored vectors, i.e. the rows are what the model was trained
   * on. True when the model has a space afterwards.
   */
  recoverFeatureSpace(itemInfo: readonly (Item | undefined)[]): boolean {
    const s = this.requireState();
    if (s.space !== undefined) return true;
    if (itemInfo.length !== s.nItems) return false;
    const { features, space } = buildContentFeatures(buildItemContent(itemInfo), this.config);
    if (!sameCsr(features, s.features)) return false;
    s.space = new CompiledSpace(space);
    return true;
  }

  /** Cosine of every item's vector with a unit feature row (a product's vector: similar products by content). */
  scoreRow(row: FeatureRow, out?: Float32Array): Float32Array {
    const dense = new Float32Array(this.requireState().features.nCols);
    row.indices.forEach((c, t) => (dense[c] = row.data[t]!));
    return this.scoreProfile(dense, out);
  }

  /** The unit-length feature vector of every item (items x features CSR). */
  itemFeatures(): CsrMatrix {
    return this.requireState().features;
  }

  protected saveState(s: ContentState): SavedState {
    return {
      version: CONTENT_VERSION,
      tensors: { ...csrTensors('features', s.features), ...csrTensors('ui', s.ui) },
      extra: { nFeatures: s.features.nCols, ...(s.space === undefined ? {} : { space: s.space.space }) },
    };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): ContentModel {
    checkLayout(manifest, 'content', CONTENT_VERSION);
    const m = new ContentModel(manifest.hyperparameters as Partial<ContentConfig>);
    const base = baseStateOf(manifest);
    const nFeatures = manifest.extra.nFeatures;
    if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 0) fail('MODEL_INCOMPATIBLE', 'content artifact lacks nFeatures');
    const features = csrFromTensors(tensors, 'features', base.nItems, nFeatures);
    const space = manifest.version >= 2 ? restoreSpace(manifest.extra.space, nFeatures) : undefined;
    m.state = { ...base, features, ui: csrFromTensors(tensors, 'ui', base.nUsers, base.nItems), ...(space === undefined ? {} : { space }) };
    return m;
  }
}

function sameCsr(a: CsrMatrix, b: CsrMatrix): boolean {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  };
  return a.nRows === b.nRows && a.nCols === b.nCols && same(a.indptr, b.indptr) && same(a.indices, b.indices) && same(a.data, b.data);
}

/** The weighted mean of the items' rows, unit length, in float32 (zeros when empty). */
function unitProfile(features: CsrMatrix, items: Int32Array, weights: Float32Array): Float32Array {
  const { indptr, indices, data, nCols } = features;
  const profile = new Float64Array(nCols);
  for (let p = 0; p < items.length; p++) {
    const j = items[p]!;
    const w = weights[p]!;
    for (let q = indptr[j]!; q < indptr[j + 1]!; q++) profile[indices[q]!]! += w * data[q]!;
  }
  let norm = 0;
  for (let c = 0; c < nCols; c++) norm += profile[c]! * profile[c]!;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const unit = new Float32Array(nCols);
  for (let c = 0; c < nCols; c++) unit[c] = profile[c]! * inv;
  return unit;
}

/** A saved ContentSpace, checked: its width must be the features'. */
function restoreSpace(raw: unknown, nFeatures: number): CompiledSpace {
  const bad = (why: string): never => fail('MODEL_INCOMPATIBLE', `content artifact's feature space is malformed: ${why}`);
  if (typeof raw !== 'object' || raw === null) return bad('missing');
  const s = raw as Partial<ContentSpace>;
  const strings = (a: unknown): boolean => Array.isArray(a) && a.every((v) => typeof v === 'string');
  const numbers = (a: unknown): boolean => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!Array.isArray(s.categorical) || !s.categorical.every((f) => typeof f?.name === 'string' && strings(f.vocab))) bad('categorical fields');
  if (!Array.isArray(s.numeric) || !s.numeric.every((f) => typeof f?.name === 'string' && numbers(f.edges))) bad('numeric fields');
  if (!strings(s.text?.vocab) || !numbers(s.text?.idf) || s.text!.idf.length !== s.text!.vocab.length) bad('text vocabulary');
  const w = s.weights;
  if (w === undefined || ![w.categorical, w.numeric, w.text].every((v) => typeof v === 'number' && v >= 0)) bad('block weights');
  const space = new CompiledSpace(s as ContentSpace);
  if (space.width !== nFeatures) bad(`it describes ${space.width} features, the matrix has ${nFeatures}`);
  return space;
}
