import { tensor, type Manifest, type Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../data/csr.js';
import { cfKernels, type Packed } from '../engine/cf/kernels.js';
import { scoreRow } from '../engine/cf/score.js';
import type { VbprParams } from '../engine/cf/vbpr-sgd.js';
import { checkInt, checkNumber, checkOneOf, checkSeed, makeConfig } from './config.js';
import { scoreFactorRows, topKFactorRows } from './factor-scoring.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, yieldToEventLoop, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, ItemVisualFeatures, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';
import { drawTriples, makeTripleSampler, NEGATIVE_SAMPLING, newTriples, type NegativeSampling } from './vbpr-sampler.js';

/**
 * VBPR (He and McAuley 2016, "VBPR: Visual Bayesian Personalized Ranking
 * from Implicit Feedback", eq. 3): BPR matrix factorisation whose items also
 * have a visual part, the projection E f_i of the item's image embedding f_i
 * (TrainData.visual: an ImageEncoder's output), and a visual bias β'·f_i:
 *
 *   x_ui = β_i + γ_u·γ_i + θ_u·(E f_i) + β'·f_i
 *
 * trained by SGD on (u, i, j) triples (vbpr-sgd.ts; sampler vbpr-sampler.ts).
 * Items without training interactions keep γ_i = 0 and β_i = 0, so a new
 * (cold) product is scored by its image alone: θ_u·(E f_i) + β'·f_i.
 *
 * After fit the model is a plain factor model (factor-scoring.ts):
 * user rows [γ_u, θ_u, 1] and item rows [γ_i, E f_i, β_i + β'·f_i].
 */
export type VbprConfig = {
  /** K: latent (non-visual) factors. */
  factors: number;
  /** K': visual factors (the width of E). */
  visualFactors: number;
  learningRate: number;
  /** λ on γ_u, γ_i and θ_u. */
  regularization: number;
  /** λ_b on β_i and β'. */
  biasRegularization: number;
  /** λ_E on E (0 as in cornac's VBPR: the projection is not shrunk). */
  projectionRegularization: number;
  epochs: number;
  negativeSampling: NegativeSampling;
  validateEvery: number;
  patience: number;
  seed: number;
};

export const VBPR_DEFAULTS: VbprConfig = Object.freeze({
  factors: 20,
  visualFactors: 20,
  learningRate: 0.05,
  regularization: 0.01,
  biasRegularization: 0.01,
  projectionRegularization: 0,
  epochs: 40,
  negativeSampling: 'uniform',
  validateEvery: 5,
  patience: 3,
  seed: 0,
});

/** Layout: userFactors (nUsers x D), itemFactors (nItems x D), D = K + K' + 1; projection E (K' x F), visualBias β' (F). */
export const VBPR_VERSION = 1;

interface VbprState extends BaseState {
  x: Float32Array;
  y: Float32Array;
  e: Float32Array;
  bv: Float32Array;
  /** F. */
  featureDim: number;
  source: string | null;
  /** Item rows packed for the CF kernels (cached by factor-scoring.ts). */
  panels?: Packed;
}

export class VbprModel extends BaseRecommender<VbprConfig, VbprState> {
  readonly kind = 'vbpr' as const;

  constructor(config?: Partial<VbprConfig>) {
    super(
      makeConfig('vbpr', VBPR_DEFAULTS, config, (c) => {
        checkInt('vbpr', 'factors', c.factors, 0, 4096);
        checkInt('vbpr', 'visualFactors', c.visualFactors, 1, 4096);
        checkNumber('vbpr', 'learningRate', c.learningRate, 0, Infinity, true);
        checkNumber('vbpr', 'regularization', c.regularization, 0);
        checkNumber('vbpr', 'biasRegularization', c.biasRegularization, 0);
        checkNumber('vbpr', 'projectionRegularization', c.projectionRegularization, 0);
        checkInt('vbpr', 'epochs', c.epochs, 1);
        checkOneOf('vbpr', 'negativeSampling', c.negativeSampling, NEGATIVE_SAMPLING);
        checkInt('vbpr', 'validateEvery', c.validateEvery, 1);
        checkInt('vbpr', 'patience', c.patience, 1);
        checkSeed('vbpr', c.seed);
      }),
    );
  }

  /** Width of the user and item rows: K + K' + 1. */
  private get width(): number {
    return this.config.factors + this.config.visualFactors + 1;
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('vbpr', data);
    const visual = checkVisual(data);
    const c = this.config;
    const rng = new Rng(c.seed);
    const params = initParams(data.ui, c, visual.dim, rng);
    const sampler = makeTripleSampler(data.ui);
    const triples = newTriples(data.ui.nnz);
    const rates = { lr: c.learningRate, reg: c.regularization, biasReg: c.biasRegularization, projectionReg: c.projectionRegularization };
    const dims = { k: c.factors, k2: c.visualFactors, f: visual.dim };
    const previous = this.state;
    const base = { nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, featureDim: visual.dim, source: visual.source ?? null };
    let best: VbprState | undefined;
    let bestValue = -Infinity;
    let stale = 0;
    try {
      for (let epoch = 1; epoch <= c.epochs; epoch++) {
        throwIfAborted(opts.signal);
        const t0 = performance.now();
        drawTriples(sampler, rng, c.negativeSampling, triples);
        const loss = cfKernels().vbprSgdPass(params, visual.data, triples, dims, rates);
        let validation: { name: string; value: number } | undefined;
        if (opts.validate !== undefined && (epoch % c.validateEvery === 0 || epoch === c.epochs)) {
          this.state = { ...base, ...factorRows(params, visual, c) };
          validation = opts.validate(this);
          if (validation.value > bestValue) {
            bestValue = validation.value;
            best = this.state;
            stale = 0;
          } else stale++;
        }
        const report = { epoch, epochs: c.epochs, loss: loss / triples.user.length, seconds: (performance.now() - t0) / 1000 };
        opts.onEpoch?.(validation === undefined ? report : { ...report, validation });
        if (stale >= c.patience) break;
        await yieldToEventLoop();
      }
      throwIfAborted(opts.signal);
      this.state = best ?? { ...base, ...factorRows(params, visual, c) };
    } catch (e) {
      this.state = previous;
      throw e;
    }
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    scoreRow(s.x, userIdx * this.width, s.y, this.width, s.nItems, o);
    return o;
  }

  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    scoreFactorRows(s, userIdxs, this.width, out);
  }

  /** Fused top-k through the CF kernels. */
  topKUsers(userIdxs: Int32Array, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array } {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    return topKFactorRows(s, userIdxs, this.width, k, seen);
  }

  /**
   * The item row [0, E f, β'·f] of a product the model has not seen, from its
   * image embedding f (same encoder as training): score it for user u as
   * userRow(u) · itemRow(f).
   */
  itemRowFor(features: Float32Array): Float32Array {
    const s = this.requireState();
    if (features.length !== s.featureDim) fail('INVALID_ARGUMENT', `vbpr: features have ${features.length} values, the model takes ${s.featureDim}`);
    return visualItemRow(s.e, s.bv, features, 0, this.config, 0);
  }

  /** What made the item features it was trained on (the encoder's kind, e.g. "classic"); null when not recorded. */
  featureSource(): string | null {
    return this.requireState().source;
  }

  protected saveState(s: VbprState): SavedState {
    const d = this.width;
    return {
      version: VBPR_VERSION,
      tensors: {
        userFactors: tensor(s.x, [s.nUsers, d]),
        itemFactors: tensor(s.y, [s.nItems, d]),
        projection: tensor(s.e, [this.config.visualFactors, s.featureDim]),
        visualBias: tensor(s.bv, [s.featureDim]),
      },
      extra: { featureDim: s.featureDim, featureSource: s.source },
    };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): VbprModel {
    checkLayout(manifest, 'vbpr', VBPR_VERSION);
    const m = new VbprModel(manifest.hyperparameters as Partial<VbprConfig>);
    const base = baseStateOf(manifest);
    const { featureDim, featureSource } = manifest.extra;
    if (typeof featureDim !== 'number' || !Number.isInteger(featureDim)) fail('MODEL_INCOMPATIBLE', 'vbpr artifact lacks featureDim');
    const d = m.width;
    m.state = {
      ...base,
      featureDim,
      source: typeof featureSource === 'string' ? featureSource : null,
      x: floatTensor(tensors, 'userFactors', [base.nUsers, d]),
      y: floatTensor(tensors, 'itemFactors', [base.nItems, d]),
      e: floatTensor(tensors, 'projection', [m.config.visualFactors, featureDim]),
      bv: floatTensor(tensors, 'visualBias', [featureDim]),
    };
    return m;
  }
}

/** The visual features, checked against the matrix. */
function checkVisual(data: TrainData): ItemVisualFeatures {
  const v = data.visual;
  if (v === undefined) {
    fail('INVALID_ARGUMENT', 'vbpr needs item visual features (TrainData.visual)', { hint: 'embed the item images with an image encoder first (vitrine evaluate does this for vbpr)' });
  }
  if (v.nItems !== data.ui.nCols || v.data.length !== v.nItems * v.dim || v.present.length !== v.nItems || v.dim < 1) {
    fail('INVALID_ARGUMENT', `vbpr: visual features describe ${v.nItems} items x ${v.dim}, the matrix has ${data.ui.nCols} items`);
  }
  for (let k = 0; k < v.data.length; k++) if (!Number.isFinite(v.data[k]!)) fail('INVALID_ARGUMENT', 'vbpr: visual features must be finite');
  return v;
}

/** Initial parameters: γ, θ uniform in [-0.5, 0.5) / K (zero for users and items without interactions, as bpr.ts), E small, biases 0. */
function initParams(ui: CsrMatrix, c: VbprConfig, f: number, rng: Rng): VbprParams {
  const { factors: k, visualFactors: k2 } = c;
  const small = (n: number, scale: number): Float32Array => new Float32Array(n).map(() => (rng.next() - 0.5) * scale);
  const gi = small(ui.nCols * k, 1 / Math.max(1, k));
  const gu = small(ui.nRows * k, 1 / Math.max(1, k));
  const tu = small(ui.nRows * k2, 1 / k2);
  const e = small(k2 * f, 1 / k2);
  const counts = ui.columnCounts();
  for (let i = 0; i < ui.nCols; i++) if (counts[i] === 0) gi.fill(0, i * k, (i + 1) * k);
  for (let u = 0; u < ui.nRows; u++) {
    if (ui.rowLength(u) > 0) continue;
    gu.fill(0, u * k, (u + 1) * k);
    tu.fill(0, u * k2, (u + 1) * k2);
  }
  return { gu, tu, gi, bi: new Float32Array(ui.nCols), e, bv: new Float32Array(f) };
}

/** One item row [γ_i, E f_i, β_i + β'·f_i] written at out[o..], with γ_i and β_i given (zero for a new item). */
function visualItemRow(e: Float32Array, bv: Float32Array, features: Float32Array, fo: number, c: VbprConfig, bias: number, gamma?: Float32Array, go = 0, out?: Float32Array, o = 0): Float32Array {
  const { factors: k, visualFactors: k2 } = c;
  const f = bv.length;
  const row = out ?? new Float32Array(k + k2 + 1);
  for (let r = 0; r < k; r++) row[o + r] = gamma === undefined ? 0 : gamma[go + r]!;
  for (let r = 0; r < k2; r++) {
    let s = 0;
    for (let q = 0; q < f; q++) s += e[r * f + q]! * features[fo + q]!;
    row[o + k + r] = s;
  }
  let b = bias;
  for (let q = 0; q < f; q++) b += bv[q]! * features[fo + q]!;
  row[o + k + k2] = b;
  return row;
}

/** The fitted parameters as factor rows (see the class comment). */
function factorRows(p: VbprParams, v: ItemVisualFeatures, c: VbprConfig): Pick<VbprState, 'x' | 'y' | 'e' | 'bv'> {
  const { factors: k, visualFactors: k2 } = c;
  const d = k + k2 + 1;
  const nUsers = p.tu.length / k2;
  const x = new Float32Array(nUsers * d);
  for (let u = 0; u < nUsers; u++) {
    x.set(p.gu.subarray(u * k, (u + 1) * k), u * d);
    x.set(p.tu.subarray(u * k2, (u + 1) * k2), u * d + k);
    x[u * d + k + k2] = 1;
  }
  const y = new Float32Array(v.nItems * d);
  for (let i = 0; i < v.nItems; i++) visualItemRow(p.e, p.bv, v.data, i * v.dim, c, p.bi[i]!, p.gi, i * k, y, i * d);
  return { x, y, e: p.e.slice(), bv: p.bv.slice() };
}
