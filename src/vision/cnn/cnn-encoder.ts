import { readManifest } from '../../core/artifact.js';
import { fail } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { loadModelArtifact, saveModelArtifact } from '../../engine/artifact-tf.js';
import { engineInfo, initEngine } from '../../engine/engine.js';
import { tf } from '../../engine/tf.js';
import { asBatch, type EncoderInput, type ImageEncoder } from '../encoder.js';
import type { Rgb } from '../prepare.js';
import { cnnConfig, cnnConfigJson, CNN_VERSION, type CnnEncoderConfig } from './config.js';
import type { LabelHead, LabelSpace } from './labels.js';
import { CnnNet } from './model.js';
import { trainCnn, type CnnTrainingData, type EpochReport, type TrainCnnOptions } from './train.js';

/**
 * The "cnn" image encoder: a residual CNN trained on the shop's own catalog
 * images (model.ts, train.ts), embedding a product photo as the L2-normalised
 * output of its embedding layer, joined by its heads' predicted attributes
 * (config.headsWeight). Saved as a vitrine artifact (manifest with
 * the config and the label heads, plus one float32 file per parameter), so
 * loading rebuilds the same network and gives bitwise-identical embeddings.
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
  ) {}

  /** Trains an encoder on catalog images (see train.ts) and returns it. */
  static async train(data: CnnTrainingData, config: Partial<CnnEncoderConfig> = {}, opts: TrainCnnOptions & { source?: string } = {}): Promise<CnnEncoder> {
    await ensureEngine();
    const c = cnnConfig(config);
    const r = await trainCnn(data, c, opts);
    const info: CnnTrainingInfo = { products: data.items.length, seconds: r.seconds, history: r.history, ...(opts.source === undefined ? {} : { source: opts.source }) };
    return new CnnEncoder(r.net, c, r.space.heads, info);
  }

  /** An untrained encoder with a given label space (tests and loading). */
  static create(space: LabelSpace, config: Partial<CnnEncoderConfig> = {}): CnnEncoder {
    const c = cnnConfig(config);
    return new CnnEncoder(new CnnNet(c, space.heads.map((h) => h.classes.length), new Rng(c.seed)), c, space.heads, undefined);
  }

  /** Length of the embedding: the features, the heads' classes, or both (config.headsWeight). */
  get dim(): number {
    const a = this.config.headsWeight;
    const classes = this.heads.reduce((n, h) => n + h.classes.length, 0);
    return (a < 1 ? this.config.embedDim : 0) + (a > 0 ? classes : 0);
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  get background(): Rgb {
    return this.config.background;
  }

  get trim(): boolean {
    return this.config.trim;
  }

  async embed(images: EncoderInput): Promise<Float32Array[]> {
    await ensureEngine();
    const batch = asBatch(images, this.inputSize);
    const per = this.inputSize * this.inputSize * 3;
    const out: Float32Array[] = [];
    for (let s = 0; s < batch.count; s += EMBED_CHUNK) {
      const n = Math.min(EMBED_CHUNK, batch.count - s);
      const flat = tf.tidy(() => {
        const x = tf.tensor4d(batch.data.subarray(s * per, (s + n) * per), [n, this.inputSize, this.inputSize, 3]);
        const e = this.searchEmbedding(this.net.apply(x));
        if (!this.config.flipAverage) return e.dataSync() as Float32Array;
        // NHWC: axis 2 is the width; the rows of both are unit length, so the mean's direction is their sum's.
        const mirrored = this.searchEmbedding(this.net.apply(tf.reverse(x, 2)));
        const sum = tf.add(e, mirrored);
        return tf.div(sum, tf.maximum(tf.norm(sum, 2, 1, true), 1e-12)).dataSync() as Float32Array;
      });
      for (let i = 0; i < n; i++) out.push(flat.slice(i * this.dim, (i + 1) * this.dim));
    }
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
    saveModelArtifact(dir, this.net, {
      kind: this.kind,
      version: CNN_VERSION,
      hyperparameters: cnnConfigJson(this.config),
      metrics: t === undefined ? {} : { trainSeconds: t.seconds, finalLoss: t.history.at(-1)?.loss ?? Number.NaN },
      extra: { dim: this.dim, heads: this.heads, ...(t === undefined ? {} : { training: t }) },
    });
  }

  /** Reads a cnn encoder saved by save(). */
  static async load(dir: string): Promise<CnnEncoder> {
    await ensureEngine();
    const m = readManifest(dir);
    if (m.kind !== 'cnn') fail('MODEL_INCOMPATIBLE', `${dir} holds a "${m.kind}" model, not a cnn encoder`);
    const heads = m.extra.heads as LabelHead[] | undefined;
    if (!Array.isArray(heads) || heads.some((h) => !Array.isArray(h.classes))) fail('MODEL_INCOMPATIBLE', `${dir}: the cnn encoder's label heads are missing`);
    // Encoders saved before headsWeight, trim and flipAverage existed embed features only, of untrimmed images, unmirrored: keep their embeddings (and indexes built on them) valid.
    const saved = m.hyperparameters as Partial<CnnEncoderConfig>;
    const config = cnnConfig({ ...saved, headsWeight: saved.headsWeight ?? 0, trim: saved.trim ?? false, flipAverage: saved.flipAverage ?? false });
    const net = new CnnNet(config, heads.map((h) => h.classes.length), new Rng(config.seed));
    try {
      loadModelArtifact(dir, net, { kind: 'cnn', maxVersion: CNN_VERSION });
    } catch (e) {
      net.dispose();
      throw e;
    }
    return new CnnEncoder(net, config, heads, m.extra.training as CnnTrainingInfo | undefined);
  }

  async dispose(): Promise<void> {
    this.net.dispose();
  }

  describe(): Record<string, unknown> {
    return {
      kind: this.kind, dim: this.dim, inputSize: this.inputSize, widths: [...this.config.widths],
      heads: this.heads.map((h) => ({ name: h.name, classes: h.classes.length, weight: h.weight })),
      ...(this.training ? { products: this.training.products, trainSeconds: Math.round(this.training.seconds * 10) / 10 } : {}),
    };
  }
}
