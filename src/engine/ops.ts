import { tf } from './tf.js';

/**
 * Loss building blocks that differentiate safely on every backend.
 *
 * tf.logSigmoid (tfjs-core 4.22) is a customGrad whose gradient reads its
 * input through a closure instead of saving it, and the engine disposes
 * that input when the forward pass ends: its gradient crashes whenever the
 * input is an intermediate tensor. vitrine's version is -softplus(-x), whose
 * kernels save what their gradients need.
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}

/**
 * Binary cross-entropy with logits against a constant label, mean over all
 * elements (PyTorch's binary_cross_entropy_with_logits):
 * max(x, 0) - x·z + log(1 + exp(-|x|)), stable for large |x|.
 */
export function bceWithLogits(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(label === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits, undefined, 0, tf.Reduction.MEAN) as tf.Scalar;
}
