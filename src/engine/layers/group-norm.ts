import type { Rng } from '../../core/rng.js';
import { fail } from '../../core/errors.js';
import { tf } from '../tf.js';
import { initVariable } from './init.js';
import type { Layer } from './layer.js';

export interface GroupNormConfig {
  channels: number;
  /** Channel groups (must divide channels); 1 is layer norm over H, W, C, channels is instance norm. */
  groups: number;
  /** Default 1e-5. */
  eps?: number;
}

/**
 * Group normalisation (Wu and He 2018, eq. 1-3): statistics per sample and
 * group of channels over H, W and the group's channels, so it behaves the
 * same in training and inference and at any batch size. x is NHWC.
 */
export class GroupNorm implements Layer {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  constructor(readonly config: GroupNormConfig, rng: Rng) {
    const c = config.channels;
    if (config.groups < 1 || c % config.groups !== 0) fail('INVALID_ARGUMENT', `GroupNorm: ${config.groups} groups do not divide ${c} channels`);
    this.gamma = initVariable(rng, [c], { scheme: 'ones', fanIn: c, fanOut: c });
    this.beta = initVariable(rng, [c], { scheme: 'zeros', fanIn: c, fanOut: c });
  }

  params(): Map<string, tf.Variable> {
    return new Map([['gamma', this.gamma], ['beta', this.beta]]);
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const g = this.config.groups;
      const xg = tf.reshape(x, [n, h, w, g, c / g]);
      const { mean, variance } = tf.moments(xg, [1, 2, 4], true);
      const normed = tf.reshape(tf.mul(tf.sub(xg, mean), tf.rsqrt(tf.add(variance, this.config.eps ?? 1e-5))), [n, h, w, c]);
      return tf.add(tf.mul(normed, this.gamma), this.beta);
    });
  }

  dispose(): void {
    this.gamma.dispose();
    this.beta.dispose();
  }
}
