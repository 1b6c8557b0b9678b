import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';
import { initVariable } from './init.js';
import type { ApplyOptions, Layer } from './layer.js';

export interface BatchNormConfig {
  channels: number;
  /** Weight of the new batch in the running statistics (PyTorch's convention), default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  eps?: number;
}

/**
 * Batch normalisation over the last (channel) axis (Ioffe and Szegedy 2015,
 * algorithm 1). Training: batch mean and biased variance normalise (their
 * gradients flow), and the running statistics move by `momentum` towards
 * the batch's (unbiased variance, as PyTorch). Inference: running ones.
 * The running statistics are non-trainable variables, saved with the model.
 */
export class BatchNorm implements Layer {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  constructor(readonly config: BatchNormConfig, rng: Rng) {
    const c = config.channels;
    const spec = { fanIn: c, fanOut: c };
    this.gamma = initVariable(rng, [c], { scheme: 'ones', ...spec });
    this.beta = initVariable(rng, [c], { scheme: 'zeros', ...spec });
    this.runningMean = initVariable(rng, [c], { scheme: 'zeros', ...spec }, false);
    this.runningVar = initVariable(rng, [c], { scheme: 'ones', ...spec }, false);
  }

  params(): Map<string, tf.Variable> {
    return new Map([['gamma', this.gamma], ['beta', this.beta], ['runningMean', this.runningMean], ['runningVar', this.runningVar]]);
  }

  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor {
    const eps = this.config.eps ?? 1e-5;
    if (opts?.training !== true) return tf.tidy(() => tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, eps));
    return tf.tidy(() => {
      const axes = x.shape.map((_, i) => i).slice(0, -1);
      const { mean, variance } = tf.moments(x, axes);
      this.updateRunning(mean, variance, x.size / this.config.channels);
      return tf.batchNorm(x, mean, variance, this.beta, this.gamma, eps);
    });
  }

  private updateRunning(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    const m = this.config.momentum ?? 0.1;
    const unbias = n > 1 ? n / (n - 1) : 1;
    // Under a gradient tape these ops are recorded but feed no loss, so they get no gradient.
    tf.tidy(() => {
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, m * unbias)));
    });
  }

  dispose(): void {
    for (const v of this.params().values()) v.dispose();
  }
}
