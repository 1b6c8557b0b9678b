import { tensor, type Manifest, type Tensor } from '../core/artifact.js';
import { throwIfAborted } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../data/csr.js';
import { cfKernels, type Packed } from '../engine/cf/kernels.js';
import { scoreFactorRows, topKFactorRows } from './factor-scoring.js';
import { scoreRow } from '../engine/cf/score.js';
import { checkBool, checkInt, checkNumber, checkOneOf, checkSeed, makeConfig } from './config.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, yieldToEventLoop, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * BPR matrix factorisation (Rendle et al. 2009, "BPR: Bayesian personalized
 * ranking from implicit feedback"): maximise Σ ln σ(x_ui - x_uj) - λ||Θ||²
 * over triples (u, i seen, j unseen) by SGD (engine/cf/bpr-sgd.ts), with an
 * item bias as benfred/implicit 0.7.3 keeps it: an extra factor column whose
 * user side is fixed to 1, so x_ui = x_u·y_i + b_i.
 *
 * Sampling, as implicit: each epoch draws nnz samples; the positive is a
 * uniformly drawn stored (u, i) entry; the negative j is, by default, the
 * item of another uniformly drawn entry (popularity-proportional,
 * `negativeSampling: 'popularity'`), or uniform over items ('uniform'). A
 * negative the user has interacted with is skipped (`verifyNegatives`).
 * Initial factors are uniform in [-0.5, 0.5) / factors, zero for users and
 * items without interactions.
 *
 * Early stopping: with FitOptions.validate, the model is evaluated every
 * `validateEvery` epochs, keeps the best epoch's parameters, and stops after
 * `patience` evaluations without improvement.
 */
export type BprConfig = {
  factors: number;
  learningRate: number;
  regularization: number;
  epochs: number;
  verifyNegatives: boolean;
  negativeSampling: 'popularity' | 'uniform';
  validateEvery: number;
  patience: number;
  seed: number;
};

export const BPR_DEFAULTS: BprConfig = Object.freeze({
  factors: 64,
  learningRate: 0.01,
  regularization: 0.01,
  epochs: 100,
  verifyNegatives: true,
  negativeSampling: 'popularity',
  validateEvery: 5,
  patience: 3,
  seed: 0,
});

/** Layout version: userFactors (nUsers x (f+1), last column 1), itemFactors (nItems x (f+1), last column the bias). */
export const BPR_VERSION = 1;

interface BprState extends BaseState {
  x: Float32Array;
  y: Float32Array;
  /** Item factors packed for the CF kernels (cached by factor-scoring.ts). */
  panels?: Packed;
}

/** Per-fit buffers: the CSR, each entry's user, and one epoch's samples. */
interface Sampler {
  ui: CsrMatrix;
  userOfEntry: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}

export class BprModel extends BaseRecommender<BprConfig, BprState> {
  readonly kind = 'bpr' as const;

  constructor(config?: Partial<BprConfig>) {
    super(
      makeConfig('bpr', BPR_DEFAULTS, config, (c) => {
        checkInt('bpr', 'factors', c.factors, 1, 4096);
        checkNumber('bpr', 'learningRate', c.learningRate, 0, Infinity, true);
        checkNumber('bpr', 'regularization', c.regularization, 0);
        checkInt('bpr', 'epochs', c.epochs, 1);
        checkBool('bpr', 'verifyNegatives', c.verifyNegatives);
        checkOneOf('bpr', 'negativeSampling', c.negativeSampling, ['popularity', 'uniform'] as const);
        checkInt('bpr', 'validateEvery', c.validateEvery, 1);
        checkInt('bpr', 'patience', c.patience, 1);
        checkSeed('bpr', c.seed);
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('bpr', data);
    const { factors: f, epochs, learningRate, regularization, verifyNegatives, validateEvery } = this.config;
    const ui = data.ui;
    const rng = new Rng(this.config.seed);
    const work: BprState = { nUsers: ui.nRows, nItems: ui.nCols, dataFingerprint, ...initFactors(ui, f, rng) };
    const sampler = makeSampler(ui);
    const previous = this.state;
    let best: BprState | undefined;
    let bestValue = -Infinity;
    let stale = 0;
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        throwIfAborted(opts.signal);
        const t0 = performance.now();
        this.drawSamples(sampler, rng);
        const st = cfKernels().bprSgdEpoch(ui.indptr, ui.indices, sampler.userOfEntry, sampler.pos, sampler.neg, work.x, work.y, f, learningRate, regularization, verifyNegatives, 0, ui.nnz);
        delete work.panels;
        const used = Math.max(1, ui.nnz - st.skipped);
        let validation: { name: string; value: number } | undefined;
        if (opts.validate !== undefined && (epoch % validateEvery === 0 || epoch === epochs)) {
          this.state = work;
          validation = opts.validate(this);
          if (validation.value > bestValue) {
            bestValue = validation.value;
            best = { nUsers: work.nUsers, nItems: work.nItems, dataFingerprint, x: work.x.slice(), y: work.y.slice() };
            stale = 0;
          } else stale++;
        }
        const report = { epoch, epochs, loss: st.loss / used, seconds: (performance.now() - t0) / 1000 };
        opts.onEpoch?.(validation === undefined ? report : { ...report, validation });
        if (stale >= this.config.patience) break;
        await yieldToEventLoop();
      }
      throwIfAborted(opts.signal);
      this.state = best ?? work;
    } catch (e) {
      this.state = previous;
      throw e;
    }
  }

  /**
   * One epoch's nnz (positive entry, negative item) pairs from the seeded
   * stream: positives uniform over stored entries; negatives uniform over
   * items, or (default, as implicit) the item of another uniformly drawn
   * entry, i.e. proportional to popularity.
   */
  private drawSamples(s: Sampler, rng: Rng): void {
    const nnz = s.ui.nnz;
    rng.intsInto(s.pos, nnz);
    if (this.config.negativeSampling === 'uniform') {
      rng.intsInto(s.neg, s.ui.nCols);
      return;
    }
    rng.intsInto(s.neg, nnz);
    const indices = s.ui.indices;
    for (let k = 0; k < nnz; k++) s.neg[k] = indices[s.neg[k]!]!;
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    const d = this.config.factors + 1;
    scoreRow(s.x, userIdx * d, s.y, d, s.nItems, o);
    return o;
  }

  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    scoreFactorRows(s, userIdxs, this.config.factors + 1, out);
  }

  /** Fused top-k through the CF kernels (no score matrix in JS). */
  topKUsers(userIdxs: Int32Array, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array } {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    return topKFactorRows(s, userIdxs, this.config.factors + 1, k, seen);
  }

  protected saveState(s: BprState): SavedState {
    const d = this.config.factors + 1;
    return { version: BPR_VERSION, tensors: { userFactors: tensor(s.x, [s.nUsers, d]), itemFactors: tensor(s.y, [s.nItems, d]) } };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): BprModel {
    checkLayout(manifest, 'bpr', BPR_VERSION);
    const m = new BprModel(manifest.hyperparameters as Partial<BprConfig>);
    const base = baseStateOf(manifest);
    const d = m.config.factors + 1;
    m.state = { ...base, x: floatTensor(tensors, 'userFactors', [base.nUsers, d]), y: floatTensor(tensors, 'itemFactors', [base.nItems, d]) };
    return m;
  }
}

/** implicit's initialisation: items then users, uniform [-0.5, 0.5) / f, zero rows without data, user bias column 1. */
function initFactors(ui: CsrMatrix, f: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  const d = f + 1;
  const y = new Float32Array(ui.nCols * d).map(() => (rng.next() - 0.5) / f);
  const x = new Float32Array(ui.nRows * d).map(() => (rng.next() - 0.5) / f);
  const itemCounts = ui.columnCounts();
  for (let i = 0; i < ui.nCols; i++) if (itemCounts[i] === 0) y.fill(0, i * d, (i + 1) * d);
  for (let u = 0; u < ui.nRows; u++) {
    if (ui.rowLength(u) === 0) x.fill(0, u * d, (u + 1) * d);
    x[u * d + f] = 1;
  }
  return { x, y };
}

function makeSampler(ui: CsrMatrix): Sampler {
  const userOfEntry = new Int32Array(ui.nnz);
  for (let u = 0; u < ui.nRows; u++) userOfEntry.fill(u, ui.indptr[u]!, ui.indptr[u + 1]!);
  return { ui, userOfEntry, pos: new Int32Array(ui.nnz), neg: new Int32Array(ui.nnz) };
}
