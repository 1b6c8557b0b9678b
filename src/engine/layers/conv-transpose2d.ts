import type { Rng } from '../../core/rng.js';
import { fail } from '../../core/errors.js';
import { tf } from '../tf.js';
import { initVariable, type InitScheme } from './init.js';
import type { Layer } from './layer.js';
import { pair } from './padding.js';

export interface ConvTranspose2dConfig {
  inChannels: number;
  outChannels: number;
  kernel: number | [number, number];
  /** Default 1. */
  stride?: number | [number, number];
  /** PyTorch's padding (default 0). */
  padding?: number | [number, number];
  /** PyTorch's output_padding (default 0; at most `padding`). */
  outputPadding?: number | [number, number];
  /** Default true. */
  bias?: boolean;
  /** Default 'he'. */
  init?: InitScheme;
}

/**
 * Transposed convolution (the adjoint of Conv2d; Dumoulin and Visin 2016,
 * "A guide to convolution arithmetic", relationship 14) with PyTorch's sizes:
 * out = (in - 1)·stride - 2·padding + kernel + outputPadding. Filter
 * [kh, kw, out, in] as tfjs's conv2dTranspose wants it. It runs as
 * Conv2DBackpropInput of the convolution with explicit padding
 * [padding, padding - outputPadding] (col2im on the native path).
 */
export class ConvTranspose2d implements Layer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | undefined;
  private readonly k: [number, number];
  private readonly s: [number, number];
  private readonly p: [number, number];
  private readonly op: [number, number];

  constructor(readonly config: ConvTranspose2dConfig, rng: Rng) {
    this.k = pair(config.kernel, 1);
    this.s = pair(config.stride, 1);
    this.p = pair(config.padding, 0);
    this.op = pair(config.outputPadding, 0);
    if (this.op[0] > this.p[0] || this.op[1] > this.p[1]) fail('INVALID_ARGUMENT', `ConvTranspose2d: outputPadding ${this.op} must not exceed padding ${this.p}`);
    // He for the transposed direction: each output sums kh·kw·in / stride² inputs on average.
    const fanIn = (this.k[0] * this.k[1] * config.inChannels) / (this.s[0] * this.s[1]);
    const fanOut = this.k[0] * this.k[1] * config.outChannels;
    this.weight = initVariable(rng, [...this.k, config.outChannels, config.inChannels], { scheme: config.init ?? 'he', fanIn, fanOut });
    this.bias = config.bias === false ? undefined : initVariable(rng, [config.outChannels], { scheme: 'zeros', fanIn, fanOut });
  }

  params(): Map<string, tf.Variable> {
    const m = new Map<string, tf.Variable>([['weight', this.weight]]);
    if (this.bias) m.set('bias', this.bias);
    return m;
  }

  /** Output height and width for an input of h x w. */
  outSize(h: number, w: number): [number, number] {
    return [
      (h - 1) * this.s[0] - 2 * this.p[0] + this.k[0] + this.op[0],
      (w - 1) * this.s[1] - 2 * this.p[1] + this.k[1] + this.op[1],
    ];
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x4 = x as tf.Tensor4D;
      const [oh, ow] = this.outSize(x4.shape[1], x4.shape[2]);
      const pad: tf.backend_util.ExplicitPadding = [[0, 0], [this.p[0], this.p[0] - this.op[0]], [this.p[1], this.p[1] - this.op[1]], [0, 0]];
      const y = tf.conv2dTranspose(x4, this.weight as tf.Tensor4D, [x4.shape[0], oh, ow, this.config.outChannels], this.s, pad);
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }

  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}
