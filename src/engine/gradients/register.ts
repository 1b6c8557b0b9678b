import { tf } from '../tf.js';
import { BINARY_GRADIENTS } from './binary.js';
import { GATHER_GRADIENTS } from './gather.js';
import { NN_GRADIENTS } from './nn.js';
import { REDUCE_GRADIENTS } from './reduce.js';
import { SHAPE_GRADIENTS } from './shape.js';
import { UNARY_GRADIENTS } from './unary.js';
import type { GradSpec } from './util.js';

/** Every gradient vitrine registers (see util.ts for why it registers its own). */
export const GRADIENTS: readonly GradSpec[] = [
  ...UNARY_GRADIENTS, ...BINARY_GRADIENTS, ...REDUCE_GRADIENTS, ...SHAPE_GRADIENTS, ...GATHER_GRADIENTS, ...NN_GRADIENTS,
];

/**
 * Registers the gradients tfjs has none for (idempotent; one already
 * registered, e.g. by the @tensorflow/tfjs union package, is kept).
 * Returns how many vitrine registered.
 */
export function registerGradients(): number {
  let n = 0;
  for (const g of GRADIENTS) {
    if (tf.getGradient(g.kernelName) !== undefined) continue;
    tf.registerGradient(g as unknown as tf.GradConfig);
    n++;
  }
  return n;
}
