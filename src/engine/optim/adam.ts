import { tf } from '../tf.js';
import { ADAM_KERNEL, type AdamAttrs } from './adam-kernel.js';

export interface AdamConfig {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 (PyTorch's; tfjs's default is 1e-7). */
  epsilon?: number;
}

/**
 * Adam (Kingma and Ba 2015) with one fused kernel per parameter per step
 * (VitrineAdam: native on wasm when built) instead of tfjs's ~14 element-wise
 * kernels; the same update as tfjs's AdamOptimizer and PyTorch's Adam, bias
 * corrections computed in double. A drop-in tf.Optimizer: minimize,
 * computeGradients and applyGradients work as for tf.train.adam.
 */
export class Adam extends tf.Optimizer {
  static readonly className = 'VitrineAdam';
  private readonly config: Required<AdamConfig>;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private t = 0;

  constructor(config: AdamConfig) {
    super();
    this.config = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...config };
  }

  override applyGradients(grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(grads) ? grads.map((g) => [g.name, g.tensor] as const) : Object.entries(grads);
    this.t++;
    const { learningRate: lr, beta1, beta2, epsilon: eps } = this.config;
    const attrs: AdamAttrs = { lr, beta1, beta2, eps, c1: 1 / (1 - beta1 ** this.t), c2: 1 / (1 - beta2 ** this.t) };
    for (const [name, g] of list) {
      const x = tf.engine().registeredVariables[name];
      if (x === undefined || g == null) continue;
      const mv = this.momentsOf(name, x);
      const [xn, mn, vn] = tf.engine().runKernel(ADAM_KERNEL, { x, m: mv.m, v: mv.v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      x.assign(xn!);
      mv.m.assign(mn!);
      mv.v.assign(vn!);
      tf.dispose([xn!, mn!, vn!]);
    }
    this.incrementIterations();
  }

  private momentsOf(name: string, x: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let mv = this.moments.get(name);
    if (mv === undefined) {
      mv = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(x), false), v: tf.variable(tf.zerosLike(x), false) }));
      this.moments.set(name, mv);
    }
    return mv;
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.config };
  }
}
