import { readArtifact } from '../../core/artifact.js';
import { fail } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { loadModelArtifact, saveModelArtifact } from '../../engine/artifact-tf.js';
import { engineInfo, initEngine } from '../../engine/engine.js';
import { tf } from '../../engine/tf.js';
import { asBatch, type EncoderInput, type ImageEncoder } from '../encoder.js';
import type { ImageBatch, Rgb } from '../prepare.js';
import { cnnConfig, cnnConfigJson, cnnImageSize, CNN_VERSION, hasDescriptors, type CnnEncoderConfig } from './config.js';
import { DescriptorHeads } from './descriptor-heads.js';
import { encodeLabels, type LabelHead, type LabelSpace } from './labels.js';
import { CnnNet } from './model.js';
import { trainCnn, type CnnTrainingData, type EpochReport, type TrainCnnOptions } from './train.js';

/**
 * The "cnn" image encoder: a residual CNN trained on the shop's own catalog
 * images (model.ts, train.ts), embedding a product photo as the L2-normalised
 * output of its embedding layer, joined by its heads' predicted attributes
 * (config.headsWeight), those predictions corrected by the descriptor heads
 * (descriptor-heads.ts, config.descriptorWeight) when it has them. Saved as
 * a vitrine artifact (manifest with the config and the label heads, plus
 * one float32 file per parameter and per descriptor-head tensor), so loading
 * rebuilds the same network and gives bitwise-identical embeddings.
 */

/** What a trained encoder records about its training. */
export interface CnnTrainingInfo {
  products: number;
  seconds: number;
  history: EpochReport[];
  /** A description of the training data (e.g. the world's seed and size, or the store path). */
  source?: string;
}

/** Images embedded per forward pass (bounds memory; results do not depend on it). */
const EMBED_CHUNK = 64;

/** Initialises the tensor engine unless the caller already has (keeping the backend they chose). */
async function ensureEngine(): Promise<void> {
  try {
    engineInfo();
  } catch {
    await initEngine();
  }
}

export class CnnEncoder implements ImageEncoder {
  readonly kind = 'cnn';

  private constructor(
    private readonly net: CnnNet,
    readonly config: Readonly<CnnEncoderConfig>,
    readonly heads: readonly LabelHead[],
    readonly training: CnnTrainingInfo | undefined,
    private readonly descriptors: DescriptorHeads | undefined,
  ) {}

  /**
   * Trains an encoder on catalog images (see train.ts), then its descriptor
   * heads when the config has them, and returns it. The images are
   * cnnImageSize(config) wide (the encoder's inputSize).
   */
  static async train(data: CnnTrainingData, config: Partial<CnnEncoderConfig> = {}, opts: TrainCnnOptions & { source?: string } = {}): Promise<CnnEncoder> {
    await ensureEngine();
    const c = cnnConfig(config);
    const size = cnnImageSize(c);
    if (data.images.size !== size) fail('INVALID_ARGUMENT', `training images are ${data.images.size}x${data.images.size}; the encoder takes ${size}x${size}`);
    const t0 = performance.now();
    const r = await trainCnn({ ...data, images: downsample(data.images, size / c.inputSize) }, c, opts);
    let descriptors: DescriptorHeads | undefined;
    try {
      if (hasDescriptors(c)) descriptors = await DescriptorHeads.fit(data.images, r.space.heads, encodeLabels(r.space, data.items), c.background, opts);
    } catch (e) {
      r.net.dispose();
      throw e;
    }
    const seconds = (performance.now() - t0) / 1000;
    const info: CnnTrainingInfo = { products: data.items.length, seconds, history: r.history, ...(opts.source === undefined ? {} : { source: opts.source }) };
    return new CnnEncoder(r.net, c, r.space.heads, info, descriptors);
  }

  /** An untrained encoder with a given label space (tests): no descriptor heads (descriptorWeight 0). */
  static create(space: LabelSpace, config: Partial<CnnEncoderConfig> = {}): CnnEncoder {
    const c = cnnConfig({ ...config, descriptorWeight: 0 });
    return new CnnEncoder(new CnnNet(c, space.heads.map((h) => h.classes.length), new Rng(c.seed)), c, space.heads, undefined, undefined);
  }

  /** Length of the embedding: the features, the heads' classes, or both (config.headsWeight). */
  get dim(): number {
    const a = this.config.headsWeight;
    const classes = this.heads.reduce((n, h) => n + h.classes.length, 0);
    return (a < 1 ? this.config.embedDim : 0) + (a > 0 ? classes : 0);
  }

  /** Side of the photos it takes: the CNN's input, or detailFactor times it with descriptor heads. */
  get inputSize(): number {
    return cnnImageSize(this.config);
  }

  get background(): Rgb {
    return this.config.background;
  }

  get trim(): boolean {
    return this.config.trim;
  }

  async embed(images: EncoderInput): Promise<Float32Array[]> {
    await ensureEngine();
    const size = this.inputSize;
    const batch = asBatch(images, size);
    const per = size * size * 3;
    const factor = size / this.config.inputSize;
    const out: Float32Array[] = [];
    for (let s = 0; s < batch.count; s += EMBED_CHUNK) {
      const n = Math.min(EMBED_CHUNK, batch.count - s);
      const flat = tf.tidy(() => {
        const full = tf.tensor4d(batch.data.subarray(s * per, (s + n) * per), [n, size, size, 3]);
        const x = factor > 1 ? tf.avgPool(full, factor, factor, 'valid') : full;
        const e = this.searchEmbedding(this.net.apply(x));
        if (!this.config.flipAverage) return e.dataSync() as Float32Array;
        // NHWC: axis 2 is the width; the rows of both are unit length, so the mean's direction is their sum's.
        const mirrored = this.searchEmbedding(this.net.apply(tf.reverse(x, 2)));
        const sum = tf.add(e, mirrored);
        return tf.div(sum, tf.maximum(tf.norm(sum, 2, 1, true), 1e-12)).dataSync() as Float32Array;
      });
      const logp = this.descriptors === undefined ? undefined : await this.descriptors.logProbs({ count: n, size, data: batch.data.subarray(s * per, (s + n) * per) });
      for (let i = 0; i < n; i++) {
        const v = flat.slice(i * this.dim, (i + 1) * this.dim);
        out.push(logp === undefined ? v : this.withDescriptors(v, logp[i]!));
      }
    }
    return out;
  }

  /**
   * The embedding with each head's predicted distribution p (the square of
   * its √p part) replaced by p · p_desc^β renormalised; the feature part and
   * every head keep their share of the unit length.
   */
  private withDescriptors(v: Float32Array, logp: readonly Float32Array[]): Float32Array {
    const a = this.config.headsWeight;
    const beta = this.config.descriptorWeight;
    const features = a < 1 ? this.config.embedDim : 0;
    const out = new Float32Array(v.length);
    let norm = 0;
    for (let j = 0; j < features; j++) norm += v[j]! * v[j]!;
    const fScale = norm > 0 ? Math.sqrt(1 - a) / Math.sqrt(norm) : 0;
    for (let j = 0; j < features; j++) out[j] = v[j]! * fScale;
    const hScale = Math.sqrt(a / this.heads.length);
    let o = features;
    this.heads.forEach((h, k) => {
      const m = h.classes.length;
      let sum = 0;
      for (let j = 0; j < m; j++) sum += v[o + j]! * v[o + j]!;
      const logq = new Float64Array(m);
      let max = -Infinity;
      for (let j = 0; j < m; j++) {
        logq[j] = Math.log((sum > 0 ? v[o + j]! * v[o + j]! / sum : 1 / m) + 1e-6) + beta * logp[k]![j]!;
        max = Math.max(max, logq[j]!);
      }
      let z = 0;
      for (let j = 0; j < m; j++) z += (logq[j] = Math.exp(logq[j]! - max));
      for (let j = 0; j < m; j++) out[o + j] = Math.sqrt(logq[j]! / z) * hScale;
      o += m;
    });
    return out;
  }

  /** [√(1−a)·e, √a·h]: e the unit features, h the unit concatenation of √softmax per head (rows stay unit length). */
  private searchEmbedding(e: tf.Tensor): tf.Tensor {
    const a = this.config.headsWeight;
    if (a === 0 || this.heads.length === 0) return e;
    const h = tf.concat(this.heads.map((_, i) => tf.sqrt(tf.softmax(this.net.logits(e, i, this.config.headScale)))), 1);
    const hUnit = tf.mul(h, 1 / Math.sqrt(this.heads.length)); // each head's √p has unit norm
    if (a === 1) return hUnit;
    return tf.concat([tf.mul(e, Math.sqrt(1 - a)), tf.mul(hUnit, Math.sqrt(a))], 1);
  }

  async save(dir: string): Promise<void> {
    const t = this.training;
    const descriptors = this.descriptors?.tensors() ?? {};
    saveModelArtifact(dir, this.net, {
      kind: this.kind,
      version: CNN_VERSION,
      hyperparameters: cnnConfigJson(this.config),
      metrics: t === undefined ? {} : { trainSeconds: t.seconds, finalLoss: t.history.at(-1)?.loss ?? Number.NaN },
      extra: { dim: this.dim, heads: this.heads, ...(t === undefined ? {} : { training: t }) },
    }, descriptors);
  }

  /** Reads a cnn encoder saved by save(). */
  static async load(dir: string): Promise<CnnEncoder> {
    await ensureEngine();
    const artifact = readArtifact(dir);
    const m = artifact.manifest;
    if (m.kind !== 'cnn') fail('MODEL_INCOMPATIBLE', `${dir} holds a "${m.kind}" model, not a cnn encoder`);
    const heads = m.extra.heads as LabelHead[] | undefined;
    if (!Array.isArray(heads) || heads.some((h) => !Array.isArray(h.classes))) fail('MODEL_INCOMPATIBLE', `${dir}: the cnn encoder's label heads are missing`);
    // Encoders saved before headsWeight, trim, flipAverage and the descriptor heads existed embed features only, of untrimmed images, unmirrored: keep their embeddings (and indexes built on them) valid.
    const saved = m.hyperparameters as Partial<CnnEncoderConfig>;
    const config = cnnConfig({ ...saved, headsWeight: saved.headsWeight ?? 0, trim: saved.trim ?? false, flipAverage: saved.flipAverage ?? false, descriptorWeight: saved.descriptorWeight ?? 0 });
    const net = new CnnNet(config, heads.map((h) => h.classes.length), new Rng(config.seed));
    try {
      loadModelArtifact(dir, net, { kind: 'cnn', maxVersion: CNN_VERSION, extraPrefix: 'descriptors.', artifact });
      const descriptors = hasDescriptors(config) ? DescriptorHeads.fromTensors(artifact.tensors, cnnImageSize(config), heads, config.background, dir) : undefined;
      return new CnnEncoder(net, config, heads, m.extra.training as CnnTrainingInfo | undefined, descriptors);
    } catch (e) {
      net.dispose();
      throw e;
    }
  }

  async dispose(): Promise<void> {
    this.net.dispose();
  }

  describe(): Record<string, unknown> {
    return {
      kind: this.kind, dim: this.dim, inputSize: this.inputSize, cnnInputSize: this.config.inputSize, widths: [...this.config.widths],
      descriptorWeight: this.descriptors === undefined ? 0 : this.config.descriptorWeight,
      heads: this.heads.map((h) => ({ name: h.name, classes: h.classes.length, weight: h.weight })),
      ...(this.training ? { products: this.training.products, trainSeconds: Math.round(this.training.seconds * 10) / 10 } : {}),
    };
  }
}

/** Each image averaged down by an integer factor (box filter; the same as avgPool in embed()). */
function downsample(images: ImageBatch, factor: number): ImageBatch {
  if (factor === 1) return images;
  const s = images.size / factor;
  const src = images.data;
  const out = new Float32Array(images.count * s * s * 3);
  const inv = 1 / (factor * factor);
  for (let n = 0; n < images.count; n++) {
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let dy = 0; dy < factor; dy++) {
            const row = ((n * images.size + y * factor + dy) * images.size + x * factor) * 3 + c;
            for (let dx = 0; dx < factor; dx++) acc += src[row + dx * 3]!;
          }
          out[((n * s + y) * s + x) * 3 + c] = acc * inv;
        }
      }
    }
  }
  return { count: images.count, size: s, data: out };
}
