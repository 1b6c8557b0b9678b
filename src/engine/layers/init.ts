import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';

/**
 * Seeded parameter initialisation (never Math.random: the same seed gives
 * the same model). He et al. 2015 ("Delving deep into rectifiers", eq. 10:
 * std = gain / sqrt(fanIn), gain sqrt(2) for ReLU, sqrt(2 / (1 + a²)) for
 * leaky ReLU of slope a) and Glorot and Bengio 2010 (eq. 16: uniform in
 * ±sqrt(6 / (fanIn + fanOut))).
 */
export type InitScheme = 'he' | 'glorot' | 'zeros' | 'ones';

export interface InitSpec {
  scheme: InitScheme;
  fanIn: number;
  fanOut: number;
  /** Slope of the leaky ReLU that follows (He only; 0 = ReLU). */
  leak?: number;
}

/** Values for a parameter of `size` entries. */
export function initValues(rng: Rng, size: number, spec: InitSpec): Float32Array {
  const out = new Float32Array(size);
  switch (spec.scheme) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'he': {
      const a = spec.leak ?? 0;
      const std = Math.sqrt(2 / (1 + a * a)) / Math.sqrt(Math.max(1, spec.fanIn));
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, std);
      return out;
    }
    case 'glorot': {
      const limit = Math.sqrt(6 / Math.max(1, spec.fanIn + spec.fanOut));
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
      return out;
    }
  }
}

/** A new variable of `shape` initialised by `spec` (trainable unless said otherwise). */
export function initVariable(rng: Rng, shape: number[], spec: InitSpec, trainable = true): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.variable(tf.tensor(initValues(rng, size, spec), shape, 'float32'), trainable));
}
