import type { Rng } from '../../core/rng.js';
import { Conv2d } from '../layers/conv2d.js';
import { ConvTranspose2d } from '../layers/conv-transpose2d.js';
import { Dense } from '../layers/dense.js';
import { fnLayer, Sequential, trainableVariables, type Layer } from '../layers/layer.js';
import { bceWithLogits } from '../ops.js';
import { tf } from '../tf.js';

/**
 * The reference DCGAN of ../shared/design/reference-figures.md (Radford,
 * Metz and Chintala 2016, without batch norm), built from vitrine's layers:
 * the workload `vitrine bench dcgan` times against PyTorch, and a training
 * test runs at toy size.
 *   G: linear latent → 4·4·(4w), ReLU, transposed conv 4w→2w→w→channels (k4 s2 p1), ReLU between, tanh.
 *   D: conv channels→w→2w→4w (k4 s2 p1), LeakyReLU 0.2, linear → 1 logit.
 * With image 32 and w 64 that is 3-64-128-256 and linear 4096-1, as the reference.
 */
export interface DcganConfig {
  batch: number;
  /** Image side (a multiple of 8). */
  image: number;
  channels: number;
  latent: number;
  /** Base width w. */
  width: number;
}

export const REFERENCE_DCGAN: Readonly<DcganConfig> = Object.freeze({ batch: 64, image: 32, channels: 3, latent: 100, width: 64 });

export interface Dcgan {
  config: DcganConfig;
  generator: Layer;
  discriminator: Layer;
  dispose(): void;
}

export function buildDcgan(config: DcganConfig, rng: Rng): Dcgan {
  const { image, channels: c, latent, width: w } = config;
  const base = image / 8;
  const up = (cin: number, cout: number): ConvTranspose2d => new ConvTranspose2d({ inChannels: cin, outChannels: cout, kernel: 4, stride: 2, padding: 1 }, rng);
  const down = (cin: number, cout: number): Conv2d => new Conv2d({ inChannels: cin, outChannels: cout, kernel: 4, stride: 2, padding: 1, leak: 0.2 }, rng);
  const relu = fnLayer((x) => tf.relu(x));
  const leaky = fnLayer((x) => tf.leakyRelu(x, 0.2));
  const generator = new Sequential([
    ['fc', new Dense({ inFeatures: latent, outFeatures: base * base * 4 * w, init: 'he' }, rng)],
    ['reshape', fnLayer((x) => tf.relu(tf.reshape(x, [-1, base, base, 4 * w])))],
    ['up1', up(4 * w, 2 * w)], ['relu1', relu],
    ['up2', up(2 * w, w)], ['relu2', relu],
    ['up3', up(w, c)], ['tanh', fnLayer((x) => tf.tanh(x))],
  ]);
  const discriminator = new Sequential([
    ['conv1', down(c, w)], ['act1', leaky],
    ['conv2', down(w, 2 * w)], ['act2', leaky],
    ['conv3', down(2 * w, 4 * w)], ['act3', leaky],
    ['flatten', fnLayer((x) => tf.reshape(x, [x.shape[0]!, -1]))],
    ['fc', new Dense({ inFeatures: base * base * 4 * w, outFeatures: 1 }, rng)],
  ]);
  return { config, generator, discriminator, dispose: () => { generator.dispose(); discriminator.dispose(); } };
}

/**
 * One reference training step: lossD = BCE(D(real), 1) + BCE(D(G(z)), 0),
 * one optimizer step over G's and D's parameters together, with real ~ U(-1, 1)
 * and z ~ N(0, 1) drawn inside the step as the PyTorch peer does. Returns lossD.
 */
export function dcganStep(model: Dcgan, optimizer: tf.Optimizer, seed: number): number {
  const { batch, image, channels, latent } = model.config;
  const vars = [...trainableVariables(model.generator), ...trainableVariables(model.discriminator)];
  return tf.tidy(() => {
    const real = tf.randomUniform([batch, image, image, channels], -1, 1, 'float32', seed);
    const z = tf.randomNormal([batch, latent], 0, 1, 'float32', seed + 1);
    const loss = optimizer.minimize(() => {
      const fake = model.generator.apply(z, { training: true });
      return tf.add(bceWithLogits(model.discriminator.apply(real, { training: true }), 1), bceWithLogits(model.discriminator.apply(fake, { training: true }), 0));
    }, true, vars);
    return loss!.dataSync()[0]!;
  });
}
