import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';
import { initVariable, type InitScheme } from './init.js';
import type { Layer } from './layer.js';

export interface DenseConfig {
  inFeatures: number;
  outFeatures: number;
  /** Default true. */
  bias?: boolean;
  /** Default 'glorot'. */
  init?: InitScheme;
  /** Slope of a following leaky ReLU, for He initialisation. */
  leak?: number;
}

/**
 * y = x W + b, W [in, out]. Runs as one fused matmul + bias (tfjs's
 * _FusedMatMul: one sgemm with a bias epilogue on the native path). Inputs
 * of rank > 2 are flattened to [rows, in] and reshaped back.
 */
export class Dense implements Layer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;

  constructor(readonly config: DenseConfig, rng: Rng) {
    const { inFeatures: fi, outFeatures: fo } = config;
    this.weight = initVariable(rng, [fi, fo], { scheme: config.init ?? 'glorot', fanIn: fi, fanOut: fo, leak: config.leak ?? 0 });
    this.bias = config.bias === false ? undefined : initVariable(rng, [fo], { scheme: 'zeros', fanIn: fi, fanOut: fo });
  }

  params(): Map<string, tf.Variable> {
    const m = new Map<string, tf.Variable>([['weight', this.weight]]);
    if (this.bias) m.set('bias', this.bias);
    return m;
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, this.config.inFeatures]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: x2, b: this.weight as tf.Tensor2D, ...(this.bias ? { bias: this.bias } : {}) });
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.config.outFeatures]);
    });
  }

  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}
