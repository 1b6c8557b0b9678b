import { fail } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { Conv2d, Dense, fnLayer, Sequential, type Layer } from '../engine/layers/index.js';
import { tf } from '../engine/tf.js';

/**
 * DVBPR's image network φ (Kang et al. 2017, "Visually-aware fashion
 * recommendation and design with generative image models", section 3.1:
 * a CNN trained end to end from raw pixels; the paper uses CNN-F on 224x224,
 * scaled down here to a few strided convolutions on 32-64 px images so that it
 * trains on two CPU cores): per stage a 3x3 convolution with stride 2 (the
 * resolution halves) and a leaky ReLU, then the flattened feature map through
 * a dense layer to the K-dim embedding φ(X):
 *
 *   [N, s, s, 3] -> [N, s/2, s/2, c1] -> ... -> [N, s/2^L, s/2^L, cL] -> flatten -> [N, K]
 *
 * Flattening (not global pooling) keeps where things are in the picture:
 * a product's silhouette (sleeves, hem, heel) is as much its look as its colours.
 */
export interface DvbprNetConfig {
  /** Side of the square input images; divisible by 2^channels.length. */
  inputSize: number;
  /** Output channels per strided stage. */
  channels: readonly number[];
  /** K: length of φ(X) (and of θ_u). */
  embedding: number;
  /** Slope of the leaky ReLUs. */
  leak: number;
}

/** The network plus the shape facts the model needs. */
export interface DvbprNet extends Layer {
  readonly config: Readonly<DvbprNetConfig>;
  /** φ(images): [N, s, s, 3] in [0, 1] -> [N, K]. Differentiable; no tidy of its own (call it under tf.tidy or a gradient). */
  apply(images: tf.Tensor): tf.Tensor2D;
}

/** INVALID_ARGUMENT unless the input side halves cleanly through every stage. */
export function checkNetShape(c: DvbprNetConfig): void {
  const down = 2 ** c.channels.length;
  if (c.channels.length < 1 || c.inputSize % down !== 0) {
    fail('INVALID_ARGUMENT', `dvbpr: imageSize ${c.inputSize} must be divisible by 2^${c.channels.length} (one halving per channel stage)`);
  }
}

/** A new φ with seeded He/Glorot initialisation (engine/layers/init.ts). */
export function buildDvbprNet(config: DvbprNetConfig, rng: Rng): DvbprNet {
  checkNetShape(config);
  const layers: [string, Layer][] = [];
  let cin = 3;
  config.channels.forEach((cout, k) => {
    layers.push([`conv${k + 1}`, new Conv2d({ inChannels: cin, outChannels: cout, kernel: 3, stride: 2, padding: 1, leak: config.leak }, rng)]);
    layers.push([`act${k + 1}`, fnLayer((x) => tf.leakyRelu(x, config.leak))]);
    cin = cout;
  });
  const side = config.inputSize / 2 ** config.channels.length;
  const flat = side * side * cin;
  layers.push(['flatten', fnLayer((x) => tf.reshape(x, [x.shape[0]!, flat]))]);
  layers.push(['embed', new Dense({ inFeatures: flat, outFeatures: config.embedding }, rng)]);
  const body = new Sequential(layers);
  return {
    config,
    params: () => body.params(),
    // Centre the pixels so a white studio background is not a large constant input.
    apply: (images) => body.apply(tf.sub(images, 0.5)) as tf.Tensor2D,
    dispose: () => body.dispose(),
  };
}

/** The network's parameters as plain arrays (name -> values, shape), for the model state and its artifact. */
export function netValues(net: Layer): Map<string, { data: Float32Array; shape: number[] }> {
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const [name, v] of net.params()) out.set(name, { data: Float32Array.from(v.dataSync() as Float32Array), shape: [...v.shape] });
  return out;
}

/** Assigns saved values to a network of the same architecture; MODEL_INCOMPATIBLE on a missing name or a shape mismatch. */
export function assignNetValues(net: Layer, values: ReadonlyMap<string, { data: Float32Array; shape: number[] }>): void {
  for (const [name, v] of net.params()) {
    const saved = values.get(name);
    if (saved === undefined || saved.shape.join(',') !== v.shape.join(',')) {
      fail('MODEL_INCOMPATIBLE', `dvbpr: network parameter ${name} is missing or has the wrong shape`);
    }
    tf.tidy(() => v.assign(tf.tensor(saved.data, saved.shape, 'float32')));
  }
}

/**
 * φ of `count` NHWC images (count x size x size x 3 in `data`), in blocks of
 * `batchSize`, as a count x K array; rows whose `present` flag is 0 stay zero.
 */
export function embedImageData(net: DvbprNet, data: Float32Array, count: number, present?: Uint8Array, batchSize = 256): Float32Array {
  const { inputSize: s, embedding: k } = net.config;
  const per = s * s * 3;
  if (data.length !== count * per) fail('INVALID_ARGUMENT', `dvbpr: ${data.length} pixel values are not ${count} images of ${s}x${s}x3`);
  const out = new Float32Array(count * k);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const block = tf.tidy(() => net.apply(tf.tensor4d(data.subarray(start * per, (start + n) * per), [n, s, s, 3])).dataSync() as Float32Array);
    out.set(block, start * k);
  }
  if (present !== undefined) for (let i = 0; i < count; i++) if (present[i] !== 1) out.fill(0, i * k, (i + 1) * k);
  return out;
}

/** Every parameter's name and shape for `config`, without building the network (to check an artifact). */
export function netParamShapes(c: DvbprNetConfig): Map<string, number[]> {
  checkNetShape(c);
  const out = new Map<string, number[]>();
  let cin = 3;
  c.channels.forEach((cout, k) => {
    out.set(`conv${k + 1}.weight`, [3, 3, cin, cout]);
    out.set(`conv${k + 1}.bias`, [cout]);
    cin = cout;
  });
  const side = c.inputSize / 2 ** c.channels.length;
  out.set('embed.weight', [side * side * cin, c.embedding]);
  out.set('embed.bias', [c.embedding]);
  return out;
}
