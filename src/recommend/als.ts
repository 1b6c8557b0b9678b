import { tensor, type Manifest, type Tensor } from '../core/artifact.js';
import { throwIfAborted } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { CsrMatrix } from '../data/csr.js';
import { addDiagonal } from '../engine/cf/gram.js';
import { cfKernels, type Packed } from '../engine/cf/kernels.js';
import { scoreFactorRows, topKFactorRows } from './factor-scoring.js';
import { scoreRow } from '../engine/cf/score.js';
import { checkInt, checkNumber, checkOneOf, checkSeed, makeConfig } from './config.js';
import { foldIn } from './foldin.js';
import { normalizeHistory } from './history.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, yieldToEventLoop, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * Implicit-feedback ALS (Hu, Koren and Volinsky 2008, "Collaborative
 * filtering for implicit feedback datasets"): minimise
 *   Σ_{u,i} c_ui (p_ui - x_uᵀ y_i)² + λ (Σ ||x_u||² + Σ ||y_i||²)     (eq. 3)
 * with p_ui = 1 where the shopper interacted (strength r_ui > 0), else 0,
 * alternating exact-in-one-block least squares over users and items (eq. 4).
 *
 * Confidence conventions (`confidence`):
 * - 'implicit' (default; benfred/implicit 0.7.3, which the benchmark compares
 *   to): c_ui = alpha * r_ui on observed entries, 1 elsewhere. With alpha * r
 *   < 1 an observed entry weighs less than an unobserved one.
 * - 'textbook' (the paper, section 4): c_ui = 1 + alpha * r_ui, so every
 *   observed entry weighs more than an unobserved one.
 * Regularisation λ is not scaled by the number of entries (as in implicit).
 *
 * Solvers (`solver`): 'cg', conjugate gradient with `cgSteps` steps per row,
 * warm-started from the previous sweep (Takács et al. 2011; implicit's
 * default, 3 steps), and 'exact', a Cholesky solve per row, the reference.
 * Both compute YᵀY once per half-sweep. Initial factors are uniform in
 * [0, 0.01), users then items, as implicit does; the first half-sweep solves
 * the users.
 */
export type AlsConfig = {
  factors: number;
  regularization: number;
  iterations: number;
  alpha: number;
  confidence: 'implicit' | 'textbook';
  solver: 'cg' | 'exact';
  cgSteps: number;
  seed: number;
};

/** Defaults: implicit's settings with 64 factors; alpha 2 was the validation-picked value on ML-100k (reference-figures.md). */
export const ALS_DEFAULTS: AlsConfig = Object.freeze({
  factors: 64,
  regularization: 0.01,
  iterations: 15,
  alpha: 2,
  confidence: 'implicit',
  solver: 'cg',
  cgSteps: 3,
  seed: 0,
});

/** Layout version of the ALS artifact: userFactors (nUsers x f), itemFactors (nItems x f), float32. */
export const ALS_VERSION = 1;

interface AlsState extends BaseState {
  x: Float32Array;
  y: Float32Array;
  /** YᵀY of the final item factors (for fold-in). */
  yty: Float64Array;
  /** Item factors packed for batched scoring; built on first use. */
  /** Item factors packed for the CF kernels (cached by factor-scoring.ts). */
  panels?: Packed;
  /** XᵀX of the user factors (for the fold-in of a new item); built on first use. */
  xtx?: Float64Array;
}

export class AlsModel extends BaseRecommender<AlsConfig, AlsState> {
  readonly kind = 'als' as const;

  constructor(config?: Partial<AlsConfig>) {
    super(
      makeConfig('als', ALS_DEFAULTS, config, (c) => {
        checkInt('als', 'factors', c.factors, 1, 4096);
        checkNumber('als', 'regularization', c.regularization, 0);
        checkInt('als', 'iterations', c.iterations, 1);
        checkNumber('als', 'alpha', c.alpha, 0, Infinity, true);
        checkOneOf('als', 'confidence', c.confidence, ['implicit', 'textbook'] as const);
        checkOneOf('als', 'solver', c.solver, ['cg', 'exact'] as const);
        checkInt('als', 'cgSteps', c.cgSteps, 1);
        checkSeed('als', c.seed);
      }),
    );
  }

  /** The confidence c of an interaction of strength r under this model's convention. */
  confidenceOf(r: number): number {
    return this.config.confidence === 'implicit' ? this.config.alpha * r : 1 + this.config.alpha * r;
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('als', data);
    const { factors: f, iterations, seed } = this.config;
    const { nRows: nUsers, nCols: nItems } = data.ui;
    const cui = data.ui.map((r) => this.confidenceOf(r));
    const ciu = cui.transpose();
    const rng = new Rng(seed);
    const x = new Float32Array(nUsers * f).map(() => rng.next() * 0.01);
    const y = new Float32Array(nItems * f).map(() => rng.next() * 0.01);
    const a0 = new Float64Array(f * f);
    for (let it = 0; it < iterations; it++) {
      throwIfAborted(opts.signal);
      const t0 = performance.now();
      this.halfSweep(cui, x, y, a0);
      this.halfSweep(ciu, y, x, a0);
      opts.onEpoch?.({ epoch: it + 1, epochs: iterations, seconds: (performance.now() - t0) / 1000 });
      await yieldToEventLoop();
    }
    throwIfAborted(opts.signal);
    this.state = { nUsers, nItems, dataFingerprint, x, y, yty: itemGram(y, nItems, f) };
  }

  /** Solves every row of `rows` (a CSR of confidences) for `x`, with `y` fixed. */
  private halfSweep(rows: CsrMatrix, x: Float32Array, y: Float32Array, a0: Float64Array): void {
    const { factors: f, regularization, solver, cgSteps } = this.config;
    const k = cfKernels();
    k.gram(y, f, 0, rows.nCols, a0);
    addDiagonal(a0, f, regularization);
    if (solver === 'cg') k.alsCgSweep(rows.indptr, rows.indices, rows.data, x, y, a0, f, cgSteps, 0, rows.nRows);
    else k.alsExactSweep(rows.indptr, rows.indices, rows.data, x, y, a0, f, 0, rows.nRows);
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    const f = this.config.factors;
    scoreRow(s.x, userIdx * f, s.y, f, s.nItems, o);
    return o;
  }

  /** Scores as a block of the user x item factor product (the fast path for evaluation). */
  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    scoreFactorRows(s, userIdxs, this.config.factors, out);
  }

  /** Fused top-k through the CF kernels (no score matrix in JS). */
  topKUsers(userIdxs: Int32Array, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array } {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    return topKFactorRows(s, userIdxs, this.config.factors, k, seen);
  }

  /** Scores for a shopper known by (item, strength) pairs: the exact fold-in user vector (foldin.ts), then dot products. */
  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const xu = this.foldIn(items, weights);
    const s = this.requireState();
    const o = this.output(out, s.nItems);
    scoreRow(xu, 0, s.y, this.config.factors, s.nItems, o);
    return o;
  }

  /** The user vector for a history of (item, strength) pairs, by an exact solve against the fitted item factors. */
  foldIn(items: Int32Array, weights: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(items, weights, s.nItems);
    const conf = h.weights.map((r) => this.confidenceOf(r));
    const { factors, regularization } = this.config;
    return foldIn({ itemFactors: s.y, yty: s.yty, factors, regularization }, h.items, conf);
  }

  /**
   * The item vector a product the model has never seen would get from the
   * shoppers who interacted with it: the same exact solve with the roles of
   * users and items swapped (the step ALS takes for each item in its second
   * half-sweep), against the fitted user factors held fixed. `users` are
   * user indices (repeats summed), `weights` interaction strengths.
   */
  foldInItem(users: Int32Array, weights: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(users, weights, s.nUsers, 'users');
    const conf = h.weights.map((r) => this.confidenceOf(r));
    const { factors, regularization } = this.config;
    s.xtx ??= itemGram(s.x, s.nUsers, factors);
    return foldIn({ itemFactors: s.x, yty: s.xtx, factors, regularization }, h.items, conf);
  }

  /** The fitted factors themselves, not copies (for serving structures built from them; never write to them). */
  factorViews(): { readonly userFactors: Float32Array; readonly itemFactors: Float32Array } {
    const s = this.requireState();
    return { userFactors: s.x, itemFactors: s.y };
  }

  /** Copies of the fitted factors: users (nUsers x f) and items (nItems x f), row-major. */
  factors(): { userFactors: Float32Array; itemFactors: Float32Array } {
    const s = this.requireState();
    return { userFactors: s.x.slice(), itemFactors: s.y.slice() };
  }

  protected saveState(s: AlsState): SavedState {
    const f = this.config.factors;
    return {
      version: ALS_VERSION,
      // YᵀY rides along (f x f, 32 KB at 64 factors) so a server swapping models in need not recompute it on its event loop.
      tensors: { userFactors: tensor(s.x, [s.nUsers, f]), itemFactors: tensor(s.y, [s.nItems, f]), itemGram: tensor(s.yty, [f, f]) },
    };
  }

  /** Rebuilds a fitted model from its artifact (registry.loadModel). */
  static restore(manifest: Manifest, tensors: Map<string, Tensor>): AlsModel {
    checkLayout(manifest, 'als', ALS_VERSION);
    const m = new AlsModel(manifest.hyperparameters as Partial<AlsConfig>);
    const base = baseStateOf(manifest);
    const f = m.config.factors;
    const x = floatTensor(tensors, 'userFactors', [base.nUsers, f]);
    const y = floatTensor(tensors, 'itemFactors', [base.nItems, f]);
    m.state = { ...base, x, y, yty: savedGram(tensors, f) ?? itemGram(y, base.nItems, f) };
    return m;
  }
}

/** The saved YᵀY (artifacts written since it was added), checksummed with the factors it was computed from. */
function savedGram(tensors: Map<string, Tensor>, f: number): Float64Array | undefined {
  const t = tensors.get('itemGram');
  return t !== undefined && t.data instanceof Float64Array && t.shape.length === 2 && t.shape[0] === f && t.shape[1] === f ? t.data : undefined;
}

/** YᵀY for the fold-in, through the CF kernels (native when built: a model swap in the server costs ~2 ms here, not ~40). */
function itemGram(y: Float32Array, nItems: number, f: number): Float64Array {
  const g = new Float64Array(f * f);
  cfKernels().gram(y, f, 0, nItems, g);
  return g;
}
