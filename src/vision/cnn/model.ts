import type { Rng } from '../../core/rng.js';
import { BatchNorm, Conv2d, Dense, fnLayer, prefixedParams, residualBlock, Sequential, type ApplyOptions, type Layer } from '../../engine/layers/index.js';
import { tf } from '../../engine/tf.js';
import type { CnnEncoderConfig } from './config.js';

/**
 * The catalog CNN: a small ResNet (He et al. 2016, basic blocks) for 64x64
 * product images, an embedding layer, and one cosine classifier per label
 * head (NormFace, Wang et al. 2017: logits = s · cos(z, w_c), with z and
 * every class weight w_c L2-normalised). Training the classifiers on the
 * normalised embedding shapes the very geometry retrieval uses, which makes
 * classification a strong metric-learning baseline (Zhai and Wu 2019,
 * "Classification is a strong baseline for deep metric learning").
 *
 * Shapes for the defaults (input 64, widths [32, 64, 128, 256]):
 *   x [N, 64, 64, 3] -> stem conv3x3/2 + BN + ReLU [N, 32, 32, 32]
 *   -> max pool 2/2 [N, 16, 16, 32] -> stage 1 [N, 16, 16, 32]
 *   -> stage 2 [N, 8, 8, 64] -> stage 3 [N, 4, 4, 128] -> stage 4 [N, 2, 2, 256]
 *   -> global average pool [N, 256] -> dense [N, 128] -> L2 norm = embedding.
 */
export class CnnNet implements Layer {
  readonly backbone: Sequential;
  readonly embed: Dense;
  /** heads[h].weight [embedDim, classes of head h]; no bias (a cosine classifier). */
  readonly heads: Dense[];

  constructor(readonly config: Readonly<CnnEncoderConfig>, classCounts: readonly number[], rng: Rng) {
    const w = config.widths;
    const layers: [string, Layer][] = [
      ['stem', new Conv2d({ inChannels: 3, outChannels: w[0]!, kernel: 3, stride: 2, padding: 1, bias: false }, rng)],
      ['stemNorm', new BatchNorm({ channels: w[0]! }, rng)],
      ['stemAct', fnLayer((x) => tf.relu(x))],
      // 'valid' pooling: the engine's pooling gradients are checked for it.
      ['pool', fnLayer((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'))],
    ];
    let c = w[0]!;
    w.forEach((width, i) => {
      layers.push([`stage${i + 1}`, residualBlock({ inChannels: c, outChannels: width, stride: i === 0 ? 1 : 2 }, rng)]);
      c = width;
    });
    layers.push(['gap', fnLayer((x) => tf.mean(x, [1, 2]))]);
    this.backbone = new Sequential(layers);
    this.embed = new Dense({ inFeatures: c, outFeatures: config.embedDim }, rng);
    this.heads = classCounts.map((n) => new Dense({ inFeatures: config.embedDim, outFeatures: n, bias: false }, rng));
  }

  params(): Map<string, tf.Variable> {
    return prefixedParams([['backbone', this.backbone], ['embed', this.embed], ...this.heads.map((h, i): [string, Layer] => [`head${i}`, h])]);
  }

  /** Unit-norm embeddings [N, embedDim] of images [N, size, size, 3] in [0, 1]. Not tidied (see Layer.apply). */
  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor {
    const centred = tf.sub(x, 0.5);
    return l2rows(this.embed.apply(this.backbone.apply(centred, opts)));
  }

  /** Logits [N, classes] of head `h` for unit-norm embeddings z: scale · z · normalise(W). */
  logits(z: tf.Tensor, h: number, scale: number): tf.Tensor {
    const weight = this.heads[h]!.weight;
    const wn = tf.div(weight, tf.sqrt(tf.add(tf.sum(tf.square(weight), 0, true), 1e-12)));
    return tf.mul(tf.matMul(z as tf.Tensor2D, wn as tf.Tensor2D), scale);
  }

  dispose(): void {
    this.backbone.dispose();
    this.embed.dispose();
    this.heads.forEach((h) => h.dispose());
  }
}

/** Rows scaled to unit L2 norm (eps keeps an all-zero row finite). */
export function l2rows(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12)));
}
