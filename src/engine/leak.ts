import { tf } from './tf.js';

/**
 * Tensor-leak checks for tests (conventions.md #12, as tfjs-layers' own
 * tests do): the number of live tensors before and after a function must
 * match. Variables count as tensors, so a model built inside the function
 * must be disposed inside it too.
 */

export interface LeakReport<T> {
  result: T;
  /** Live tensors after minus before (> 0: leaked). */
  leaked: number;
}

/** Runs fn and reports how many tensors it left alive. */
export async function countLeaks<T>(fn: () => T | Promise<T>): Promise<LeakReport<T>> {
  const before = tf.memory().numTensors;
  const result = await fn();
  return { result, leaked: tf.memory().numTensors - before };
}

/** Runs fn; throws (naming `label`) when it leaves tensors alive. Returns fn's result. */
export async function expectNoTensorLeak<T>(fn: () => T | Promise<T>, label = 'function'): Promise<T> {
  const { result, leaked } = await countLeaks(fn);
  if (leaked !== 0) throw new Error(`${label} leaked ${leaked} tensor(s) (tf.memory().numTensors went ${leaked > 0 ? 'up' : 'down'} by ${Math.abs(leaked)})`);
  return result;
}
