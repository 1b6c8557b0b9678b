import { tensor, type Manifest, type Tensor } from '../core/artifact.js';
import { fail, throwIfAborted } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../data/csr.js';
import type { Packed } from '../engine/cf/kernels.js';
import { scoreRow } from '../engine/cf/score.js';
import { Adam } from '../engine/optim/adam.js';
import { tf } from '../engine/tf.js';
import { checkBool, checkInt, checkNumber, checkOneOf, checkSeed, makeConfig } from './config.js';
import { ensureEngine, snapshot, userRows, type DvbprState, type NetValues } from './dvbpr-state.js';
import { buildDvbprNet, embedImageData, netParamShapes, type DvbprNet, type DvbprNetConfig } from './dvbpr-net.js';
import { assembleBatch, trainStep, type DvbprParams } from './dvbpr-train.js';
import { scoreFactorRows, topKFactorRows } from './factor-scoring.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, yieldToEventLoop, type SavedState } from './model-base.js';
import type { FitOptions, ItemImages, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';
import { drawTriples, makeTripleSampler, NEGATIVE_SAMPLING, newTriples, type NegativeSampling } from './vbpr-sampler.js';

/**
 * DVBPR (Kang et al. 2017, "Visually-aware fashion recommendation and design
 * with generative image models", paper 001, eq. 1-4): the preference of
 * shopper u for item i is
 *
 *   x_ui = θ_uᵀ φ(X_i)                                            (eq. 1)
 *
 * with φ a CNN over the item's image X_i (dvbpr-net.ts), trained end to end
 * with θ by BPR on (u, i, j) triples, -Σ ln σ(x_ui - x_uj) + λ||Θ||²
 * (eq. 2-4; dvbpr-train.ts), mini-batches and Adam. One addition, `visualBias`:
 * a vector w shared by all shoppers and not shrunk, x_ui = (θ_u + w)ᵀφ(X_i),
 * VBPR's visual bias β'ᵀf_i in DVBPR's terms; it carries what everyone likes
 * the look of, which is what a new product or a new shopper is left with.
 *
 * After fit, φ(X_i) is cached for every item (items without an image: zero),
 * so scoring is a matrix product (factor-scoring.ts), and a new (cold)
 * product is scored from its image alone. `preference` exposes x_ui as a
 * differentiable function of the images, for the seller studio.
 */
export type DvbprConfig = {
  /** Side of the input images (TrainData.images.size must match). */
  imageSize: number;
  /** Output channels of φ's strided convolution stages. */
  channels: readonly number[];
  /** K: length of φ(X) and θ_u. */
  embedding: number;
  /** Slope of φ's leaky ReLUs. */
  leak: number;
  /** Adam's step size. */
  learningRate: number;
  /** λ on θ_u. */
  regularization: number;
  visualBias: boolean;
  epochs: number;
  /** Triples per step. */
  batchSize: number;
  /** Pair every positive with every negative of its batch (B² triples per 2B images). */
  sharedNegatives: boolean;
  negativeSampling: NegativeSampling;
  validateEvery: number;
  patience: number;
  seed: number;
};

export const DVBPR_DEFAULTS: DvbprConfig = Object.freeze({
  imageSize: 64,
  channels: Object.freeze([16, 32, 64, 64]),
  embedding: 32,
  leak: 0.1,
  learningRate: 1e-3,
  regularization: 1e-3,
  visualBias: true,
  epochs: 10,
  batchSize: 128,
  sharedNegatives: true,
  negativeSampling: 'uniform',
  validateEvery: 1,
  patience: 3,
  seed: 0,
});

/** Layout: userFactors (nUsers x K, θ_u + w), itemFactors (nItems x K, φ(X_i)), visualBias (K), net.* (φ's parameters). */
export const DVBPR_VERSION = 1;

export class DvbprModel extends BaseRecommender<DvbprConfig, DvbprState & { panels?: Packed }> {
  readonly kind = 'dvbpr' as const;
  /** φ, built on first use after fit or load (tf.Variables: free with dispose()). */
  private net: DvbprNet | undefined;

  constructor(config?: Partial<DvbprConfig>) {
    super(
      makeConfig('dvbpr', DVBPR_DEFAULTS, config, (c) => {
        if (!Array.isArray(c.channels) || c.channels.length < 1) fail('INVALID_ARGUMENT', 'dvbpr: channels must be a non-empty list of integers');
        c.channels.forEach((v, k) => checkInt('dvbpr', `channels[${k}]`, v, 1, 1024));
        c.channels = Object.freeze([...c.channels]);
        checkInt('dvbpr', 'imageSize', c.imageSize, 4, 1024);
        checkInt('dvbpr', 'embedding', c.embedding, 1, 4096);
        checkNumber('dvbpr', 'leak', c.leak, 0, 1);
        checkNumber('dvbpr', 'learningRate', c.learningRate, 0, Infinity, true);
        checkNumber('dvbpr', 'regularization', c.regularization, 0);
        checkBool('dvbpr', 'visualBias', c.visualBias);
        checkInt('dvbpr', 'epochs', c.epochs, 1);
        checkInt('dvbpr', 'batchSize', c.batchSize, 1, 1 << 16);
        checkBool('dvbpr', 'sharedNegatives', c.sharedNegatives);
        checkOneOf('dvbpr', 'negativeSampling', c.negativeSampling, NEGATIVE_SAMPLING);
        checkInt('dvbpr', 'validateEvery', c.validateEvery, 1);
        checkInt('dvbpr', 'patience', c.patience, 1);
        checkSeed('dvbpr', c.seed);
        netParamShapes(netConfigOf(c));
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('dvbpr', data);
    const images = this.checkImages(data);
    await ensureEngine();
    const c = this.config;
    const rng = new Rng(c.seed);
    const ui = data.ui;
    const p = initParams(netConfigOf(c), ui, c.visualBias, rng.fork('init'));
    const opt = new Adam({ learningRate: c.learningRate });
    const sampler = makeTripleSampler(ui);
    const triples = newTriples(c.batchSize);
    const steps = Math.max(1, Math.ceil(ui.nnz / c.batchSize));
    const base = { nUsers: ui.nRows, nItems: ui.nCols, dataFingerprint };
    const previous = this.state;
    let best: DvbprState | undefined;
    let bestValue = -Infinity;
    let stale = 0;
    try {
      for (let epoch = 1; epoch <= c.epochs; epoch++) {
        const t0 = performance.now();
        let loss = 0;
        for (let step = 0; step < steps; step++) {
          throwIfAborted(opts.signal);
          drawTriples(sampler, rng, c.negativeSampling, triples);
          loss += trainStep(p, opt, assembleBatch(triples, ui, c.sharedNegatives), images, c.regularization);
          if (step % 8 === 7) await yieldToEventLoop();
        }
        let validation: { name: string; value: number } | undefined;
        if (opts.validate !== undefined && (epoch % c.validateEvery === 0 || epoch === c.epochs)) {
          this.setState(snapshot(p, images, base));
          validation = opts.validate(this);
          if (validation.value > bestValue) [bestValue, best, stale] = [validation.value, this.state, 0];
          else stale++;
        }
        const report = { epoch, epochs: c.epochs, loss: loss / steps, seconds: (performance.now() - t0) / 1000 };
        opts.onEpoch?.(validation === undefined ? report : { ...report, validation });
        if (stale >= c.patience) break;
        await yieldToEventLoop();
      }
      throwIfAborted(opts.signal);
      this.setState(best ?? snapshot(p, images, base));
    } catch (e) {
      this.setState(previous);
      throw e;
    } finally {
      p.net.dispose();
      p.theta.dispose();
      p.bias?.dispose();
      opt.dispose();
    }
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    scoreRow(s.x, userIdx * this.config.embedding, s.y, this.config.embedding, s.nItems, o);
    return o;
  }

  override scoreUsers(userIdxs: Int32Array, out: Float32Array): void {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    scoreFactorRows(s, userIdxs, this.config.embedding, out);
  }

  /** Fused top-k through the CF kernels. */
  topKUsers(userIdxs: Int32Array, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array } {
    const s = this.requireState();
    for (const u of userIdxs) this.stateForUser(u);
    return topKFactorRows(s, userIdxs, this.config.embedding, k, seen);
  }

  /**
   * x_ui = (θ_u + w)ᵀ φ(images) for one shopper ([N] scores) or several
   * ([U, N]), differentiable with respect to `images` ([N, s, s, 3] in [0, 1],
   * s = imageSize) and to φ's weights: the function the seller studio
   * optimises a product image against. The caller owns the result.
   */
  preference(users: number | ArrayLike<number>, images: tf.Tensor4D): tf.Tensor {
    const s = this.requireState();
    const k = this.config.embedding;
    const list = typeof users === 'number' ? [users] : Array.from(users);
    for (const u of list) this.stateForUser(u);
    const [, h, w, ch] = images.shape;
    if (h !== this.config.imageSize || w !== this.config.imageSize || ch !== 3) {
      fail('INVALID_ARGUMENT', `dvbpr: images are ${h}x${w}x${ch}; the model takes ${this.config.imageSize}x${this.config.imageSize}x3`);
    }
    const net = this.network();
    return tf.tidy(() => {
      const phi = net.apply(images); // [N, K]
      const xu = tf.tensor2d(userRows(s.x, list, k), [list.length, k]);
      const scores = tf.matMul(xu, phi, false, true); // [U, N]
      return typeof users === 'number' ? tf.reshape(scores, [images.shape[0]]) : scores;
    });
  }

  /** φ of prepared images (count x s x s x 3 in [0, 1]): a new product's embedding, to score as userFactors · φ. */
  embedImages(data: Float32Array, count: number): Float32Array {
    this.requireState();
    return embedImageData(this.network(), data, count);
  }

  /** Frees φ's variables if preference/embedImages built them (the cached scores stay usable). */
  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }

  private network(): DvbprNet {
    if (this.net !== undefined) return this.net;
    const net = buildDvbprNet(netConfigOf(this.config), new Rng(0));
    const values = this.requireState().net;
    for (const [name, v] of net.params()) {
      const saved = values.get(name)!;
      tf.tidy(() => v.assign(tf.tensor(saved.data, saved.shape, 'float32')));
    }
    this.net = net;
    return net;
  }

  private setState(s: DvbprState | undefined): void {
    this.dispose();
    this.state = s;
  }

  private checkImages(data: TrainData): ItemImages {
    const im = data.images;
    const size = this.config.imageSize;
    if (im === undefined) fail('INVALID_ARGUMENT', 'dvbpr needs item images (TrainData.images)', { hint: 'load them with evaluate\'s loadItemImages (vitrine evaluate does this for dvbpr)' });
    if (im.nItems !== data.ui.nCols || im.present.length !== im.nItems || im.data.length !== im.nItems * im.size * im.size * 3) {
      fail('INVALID_ARGUMENT', `dvbpr: item images describe ${im.nItems} items, the matrix has ${data.ui.nCols}`);
    }
    if (im.size !== size) fail('INVALID_ARGUMENT', `dvbpr: item images are ${im.size}x${im.size}; imageSize is ${size}`, { hint: `prepare the images at ${size}x${size} or set imageSize` });
    return im;
  }

  protected saveState(s: DvbprState): SavedState {
    const k = this.config.embedding;
    const tensors: Record<string, Tensor> = {
      userFactors: tensor(s.x, [s.nUsers, k]),
      itemFactors: tensor(s.y, [s.nItems, k]),
      visualBias: tensor(s.w, [k]),
    };
    for (const [name, v] of s.net) tensors[`net.${name}`] = tensor(v.data, v.shape);
    return { version: DVBPR_VERSION, tensors };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): DvbprModel {
    checkLayout(manifest, 'dvbpr', DVBPR_VERSION);
    const m = new DvbprModel(manifest.hyperparameters as Partial<DvbprConfig>);
    const base = baseStateOf(manifest);
    const k = m.config.embedding;
    const net: NetValues = new Map();
    for (const [name, shape] of netParamShapes(netConfigOf(m.config))) net.set(name, { data: floatTensor(tensors, `net.${name}`, shape), shape });
    m.state = {
      ...base,
      x: floatTensor(tensors, 'userFactors', [base.nUsers, k]),
      y: floatTensor(tensors, 'itemFactors', [base.nItems, k]),
      w: floatTensor(tensors, 'visualBias', [k]),
      net,
    };
    return m;
  }
}

function netConfigOf(c: DvbprConfig): DvbprNetConfig {
  return { inputSize: c.imageSize, channels: c.channels, embedding: c.embedding, leak: c.leak };
}

/** φ seeded from `rng`; θ uniform in [-0.5, 0.5) / K (zero for shoppers without interactions); w = 0 when on. */
function initParams(net: DvbprNetConfig, ui: CsrMatrix, visualBias: boolean, rng: Rng): DvbprParams {
  const k = net.embedding;
  const phi = buildDvbprNet(net, rng.fork('phi'));
  const th = new Float32Array(ui.nRows * k).map(() => (rng.next() - 0.5) / k);
  for (let u = 0; u < ui.nRows; u++) if (ui.rowLength(u) === 0) th.fill(0, u * k, (u + 1) * k);
  const theta = tf.tidy(() => tf.variable(tf.tensor2d(th, [ui.nRows, k]), true));
  const bias = visualBias ? tf.tidy(() => tf.variable(tf.zeros([k]), true)) : undefined;
  return { net: phi, theta, bias };
}
