import { tensor, type Tensor } from '../../core/artifact.js';
import { fail, throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { Adam } from '../../engine/optim/adam.js';
import { tf } from '../../engine/tf.js';
import { ClassicEncoder } from '../classic-encoder.js';
import type { ImageBatch, Rgb } from '../prepare.js';
import { TEXTURE_DIM, textureDescriptor } from '../texture-descriptor.js';
import type { LabelHead } from './labels.js';

/**
 * Descriptor heads: for every label head of the CNN encoder, a multinomial
 * logistic regression over hand-made descriptors of the full-resolution
 * photo (the classic encoder's colour histograms and gradient orientations,
 * and the variogram texture descriptor), trained on the catalog once the
 * CNN is. At search time each head's predicted attribute distribution is
 * the product of experts p ∝ p_cnn · p_desc^β (config.descriptorWeight β),
 * so the descriptors correct what the CNN sees badly at 64x64: fine
 * patterns (stripes against checks, prints against dots) and the main
 * colour of a two-coloured product (figures at config.descriptorWeight).
 */

/** The classic encoder's settings for the colour and gradient part (finer than its search defaults). */
const CLASSIC = { colourBins: 6, colourGrid: 2, orientationBins: 12, gradientGrid: 4 } as const;
/** The standardised texture features are scaled to the unit-length classic part's magnitude. */
const TEXTURE_SCALE = 0.1;
const STEPS = 400;
const LEARNING_RATE = 0.05;
const RIDGE = 1e-3;
/** Images described per progress report. */
const CHUNK = 64;

export interface DescriptorHeadsState {
  size: number;
  /** Mean and standard deviation of the texture features over the training images. */
  mean: Float32Array;
  std: Float32Array;
  /** Per head: weights (dim x classes) and biases. */
  weights: Float32Array[];
  biases: Float32Array[];
}

export class DescriptorHeads {
  private readonly classic: ClassicEncoder;

  private constructor(
    readonly state: DescriptorHeadsState,
    readonly classes: readonly number[],
    private readonly background: Rgb,
  ) {
    this.classic = new ClassicEncoder({ inputSize: state.size, background, ...CLASSIC });
  }

  /** Length of a descriptor for images of side `size`. */
  static dim(size: number, background: Rgb): number {
    return new ClassicEncoder({ inputSize: size, background, ...CLASSIC }).dim + TEXTURE_DIM;
  }

  /**
   * Fits one regression per head on `images` (side `size`) and their labels
   * (labels[h][i] = class of image i for head h, −1 unlabelled).
   */
  static async fit(
    images: ImageBatch, heads: readonly LabelHead[], labels: readonly Int32Array[], background: Rgb,
    opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
  ): Promise<DescriptorHeads> {
    const classes = heads.map((h) => h.classes.length);
    const raw = await rawDescriptors(images, background, opts);
    const { mean, std } = textureMoments(raw.texture, images.count);
    const weights: Float32Array[] = [];
    const biases: Float32Array[] = [];
    const dim = raw.classicDim + TEXTURE_DIM;
    const x = assemble(raw, images.count, mean, std);
    for (let h = 0; h < heads.length; h++) {
      throwIfAborted(opts.signal);
      opts.onProgress?.({ phase: 'fit descriptor heads', done: h, total: heads.length });
      const rows = [...labels[h]!.keys()].filter((i) => labels[h]![i]! >= 0);
      const fitted = fitSoftmax(x, dim, rows, labels[h]!, classes[h]!);
      weights.push(fitted.w);
      biases.push(fitted.b);
      await new Promise<void>((r) => setImmediate(r));
    }
    opts.onProgress?.({ phase: 'fit descriptor heads', done: heads.length, total: heads.length });
    return new DescriptorHeads({ size: images.size, mean, std, weights, biases }, classes, background);
  }

  /** Per image and head, the log-probabilities of the classes (images of the fitted side). */
  async logProbs(images: ImageBatch): Promise<Float32Array[][]> {
    if (images.size !== this.state.size) fail('INVALID_ARGUMENT', `descriptor heads take ${this.state.size}x${this.state.size} images, got ${images.size}x${images.size}`);
    const raw = await rawDescriptors(images, this.background, {}, this.classic);
    const x = assemble(raw, images.count, this.state.mean, this.state.std);
    const dim = raw.classicDim + TEXTURE_DIM;
    const perHead = this.classes.map((k, h) => tf.tidy(() => {
      const logits = tf.add(tf.matMul(tf.tensor2d(x, [images.count, dim]), tf.tensor2d(this.state.weights[h]!, [dim, k])), tf.tensor1d(this.state.biases[h]!));
      return tf.logSoftmax(logits).dataSync() as Float32Array;
    }));
    return Array.from({ length: images.count }, (_, i) => perHead.map((lp, h) => lp.slice(i * this.classes[h]!, (i + 1) * this.classes[h]!)));
  }

  /** Tensors for the encoder's artifact (names prefixed "descriptors."). */
  tensors(): Record<string, Tensor> {
    const s = this.state;
    const dim = s.weights[0] === undefined ? 0 : s.weights[0].length / this.classes[0]!;
    const out: Record<string, Tensor> = { 'descriptors.mean': tensor(s.mean), 'descriptors.std': tensor(s.std) };
    this.classes.forEach((k, h) => {
      out[`descriptors.w${h}`] = tensor(s.weights[h]!, [dim, k]);
      out[`descriptors.b${h}`] = tensor(s.biases[h]!, [k]);
    });
    return out;
  }

  /** Rebuilds heads from tensors() for images of side `size`; MODEL_INCOMPATIBLE when a tensor is missing or misshapen. */
  static fromTensors(tensors: ReadonlyMap<string, Tensor>, size: number, heads: readonly LabelHead[], background: Rgb, where: string): DescriptorHeads {
    const dim = DescriptorHeads.dim(size, background);
    const get = (name: string, shape: number[]): Float32Array => {
      const t = tensors.get(`descriptors.${name}`);
      if (t === undefined || !(t.data instanceof Float32Array) || t.shape.join(',') !== shape.join(',')) {
        fail('MODEL_INCOMPATIBLE', `${where}: descriptor tensor ${name} is missing or not [${shape.join(', ')}]`);
      }
      return t.data;
    };
    const classes = heads.map((h) => h.classes.length);
    return new DescriptorHeads({
      size, mean: get('mean', [TEXTURE_DIM]), std: get('std', [TEXTURE_DIM]),
      weights: classes.map((k, h) => get(`w${h}`, [dim, k])), biases: classes.map((k, h) => get(`b${h}`, [k])),
    }, classes, background);
  }
}

interface RawDescriptors {
  classic: Float32Array[];
  texture: Float32Array[];
  classicDim: number;
}

async function rawDescriptors(images: ImageBatch, background: Rgb, opts: { onProgress?: ProgressFn; signal?: AbortSignal }, encoder?: ClassicEncoder): Promise<RawDescriptors> {
  const size = images.size;
  const classic = encoder ?? new ClassicEncoder({ inputSize: size, background, ...CLASSIC });
  const per = size * size * 3;
  const out: RawDescriptors = { classic: [], texture: [], classicDim: classic.dim };
  for (let s = 0; s < images.count; s += CHUNK) {
    throwIfAborted(opts.signal);
    const n = Math.min(CHUNK, images.count - s);
    const chunk: ImageBatch = { count: n, size, data: images.data.subarray(s * per, (s + n) * per) };
    out.classic.push(...(await classic.embed(chunk)));
    for (let i = 0; i < n; i++) out.texture.push(textureDescriptor(chunk.data.subarray(i * per, (i + 1) * per), size, background));
    opts.onProgress?.({ phase: 'describe images', done: s + n, total: images.count });
    if (opts.onProgress !== undefined) await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}

function textureMoments(texture: readonly Float32Array[], n: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float32Array(TEXTURE_DIM);
  const std = new Float32Array(TEXTURE_DIM);
  for (const t of texture) for (let j = 0; j < TEXTURE_DIM; j++) mean[j]! += t[j]! / n;
  for (const t of texture) for (let j = 0; j < TEXTURE_DIM; j++) std[j]! += (t[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < TEXTURE_DIM; j++) std[j] = Math.sqrt(std[j]!);
  return { mean, std };
}

/** Rows [classic, standardised texture · TEXTURE_SCALE], row-major. */
function assemble(raw: RawDescriptors, n: number, mean: Float32Array, std: Float32Array): Float32Array {
  const dim = raw.classicDim + TEXTURE_DIM;
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    x.set(raw.classic[i]!, i * dim);
    const t = raw.texture[i]!;
    for (let j = 0, o = i * dim + raw.classicDim; j < TEXTURE_DIM; j++) x[o + j] = ((t[j]! - mean[j]!) / (std[j]! + 1e-6)) * TEXTURE_SCALE;
  }
  return x;
}

/** Full-batch Adam on the mean cross-entropy plus RIDGE/2 · ||W||² over `rows`; zero start, so deterministic. */
function fitSoftmax(x: Float32Array, dim: number, rows: number[], labels: Int32Array, k: number): { w: Float32Array; b: Float32Array } {
  if (rows.length === 0) return { w: new Float32Array(dim * k), b: new Float32Array(k) };
  const sub = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => sub.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
  const xs = tf.tensor2d(sub, [rows.length, dim]);
  const ys = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(rows, (r) => labels[r]!), 'int32'), k), 'float32'));
  const w = tf.tidy(() => tf.variable(tf.zeros([dim, k])));
  const b = tf.tidy(() => tf.variable(tf.zeros([k])));
  const opt = new Adam({ learningRate: LEARNING_RATE });
  try {
    for (let t = 0; t < STEPS; t++) {
      const cost = opt.minimize(() => {
        const logits = tf.add(tf.matMul(xs, w), b);
        const ce = tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.logSoftmax(logits)), 1)));
        return tf.add(ce, tf.mul(tf.sum(tf.square(w)), RIDGE / 2)) as tf.Scalar;
      }, false, [w, b]);
      cost?.dispose();
    }
    return { w: Float32Array.from(w.dataSync() as Float32Array), b: Float32Array.from(b.dataSync() as Float32Array) };
  } finally {
    opt.dispose();
    tf.dispose([xs, ys, w, b]);
  }
}
