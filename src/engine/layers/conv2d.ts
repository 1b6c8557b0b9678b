import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';
import { initVariable, type InitScheme } from './init.js';
import type { Layer } from './layer.js';
import { pair, torchPadding } from './padding.js';

export interface Conv2dConfig {
  inChannels: number;
  outChannels: number;
  kernel: number | [number, number];
  /** Default 1. */
  stride?: number | [number, number];
  /** PyTorch-style zero padding (default 0), or tfjs's 'same' / 'valid'. */
  padding?: number | [number, number] | 'same' | 'valid';
  /** Default 1. */
  dilation?: number | [number, number];
  /** Default true. */
  bias?: boolean;
  /** Default 'he'. */
  init?: InitScheme;
  /** Slope of a following leaky ReLU, for He initialisation. */
  leak?: number;
}

/**
 * 2-D convolution over NHWC images, filter [kh, kw, in, out], with PyTorch's
 * output size for integer padding (see padding.ts). Runs as tfjs's fused
 * conv2d with a linear activation and the bias (one FusedConv2D kernel:
 * im2col + sgemm + bias epilogue on the native path); activations are
 * separate ops so every one of them has a gradient.
 */
export class Conv2d implements Layer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;
  private readonly k: [number, number];
  private readonly s: [number, number];
  private readonly d: [number, number];

  constructor(readonly config: Conv2dConfig, rng: Rng) {
    this.k = pair(config.kernel, 1);
    this.s = pair(config.stride, 1);
    this.d = pair(config.dilation, 1);
    const fanIn = this.k[0] * this.k[1] * config.inChannels;
    const fanOut = this.k[0] * this.k[1] * config.outChannels;
    this.weight = initVariable(rng, [...this.k, config.inChannels, config.outChannels], { scheme: config.init ?? 'he', fanIn, fanOut, leak: config.leak ?? 0 });
    this.bias = config.bias === false ? undefined : initVariable(rng, [config.outChannels], { scheme: 'zeros', fanIn, fanOut });
  }

  params(): Map<string, tf.Variable> {
    const m = new Map<string, tf.Variable>([['weight', this.weight]]);
    if (this.bias) m.set('bias', this.bias);
    return m;
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let x4 = x as tf.Tensor4D;
      let pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
      const p = this.config.padding ?? 0;
      if (p === 'same' || p === 'valid') {
        pad = p;
      } else {
        const plan = torchPadding(x4.shape[1], x4.shape[2], this.k, this.s, this.d, pair(p, 0));
        if (plan.cropBottom > 0 || plan.cropRight > 0) x4 = tf.slice(x4, [0, 0, 0, 0], [-1, x4.shape[1] - plan.cropBottom, x4.shape[2] - plan.cropRight, -1]);
        pad = plan.pad;
      }
      return tf.fused.conv2d({
        x: x4, filter: this.weight as tf.Tensor4D, strides: this.s, pad, dilations: this.d,
        ...(this.bias ? { bias: this.bias } : {}),
      });
    });
  }

  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}
