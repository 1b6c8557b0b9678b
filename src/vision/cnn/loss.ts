import { tf } from '../../engine/tf.js';
import type { CnnNet } from './model.js';

/**
 * The training objective of the catalog CNN:
 *   L = sum_h w_h CE_h / sum_h w_h  +  lambda · L_supcon  +  weightDecay/2 · sum ||W||^2
 * CE_h: cross-entropy of head h's cosine classifier over the products of
 * the batch labelled for h (masked: unlabelled products add nothing).
 * L_supcon: supervised contrastive loss (Khosla et al. 2020, eq. 2, the
 * "L_out" form) over two augmented views per product, positives being the
 * product's other view and every view of a product with the same
 * attribute tuple.
 */

/** One-hot rows for `labels` (-1: an all-zero row) and how many rows are labelled. */
export function oneHotMasked(labels: ArrayLike<number>, classes: number): { data: Float32Array; labelled: number } {
  const data = new Float32Array(labels.length * classes);
  let labelled = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c >= 0) {
      data[i * classes + c] = 1;
      labelled++;
    }
  }
  return { data, labelled };
}

/** Weighted mean over heads of the masked cross-entropy of each head's cosine classifier; z is [N, d] unit rows. */
export function headsLoss(net: CnnNet, z: tf.Tensor, labels: readonly Int32Array[], weights: readonly number[], scale: number): tf.Scalar {
  let total: tf.Tensor = tf.scalar(0);
  let weightSum = 0;
  labels.forEach((lab, h) => {
    const w = weights[h] ?? 1;
    const classes = net.heads[h]!.config.outFeatures;
    const { data, labelled } = oneHotMasked(lab, classes);
    if (w <= 0 || labelled === 0) return;
    const target = tf.tensor2d(data, [lab.length, classes]);
    const ce = tf.div(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(net.logits(z, h, scale))))), labelled);
    total = tf.add(total, tf.mul(ce, w));
    weightSum += w;
  });
  return (weightSum > 0 ? tf.div(total, weightSum) : total) as tf.Scalar;
}

/**
 * The positive mask [2B, 2B] for two views per product: views k and k + B
 * are the same product; rows i, j are positives when they are the same
 * product or share a group id >= 0; never i = j.
 */
export function positiveMask(groups: ArrayLike<number>): Float32Array {
  const b = groups.length;
  const n = 2 * b;
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const gi = groups[i % b]!;
      const same = i % b === j % b || (gi >= 0 && gi === groups[j % b]!);
      if (same) mask[i * n + j] = 1;
    }
  }
  return mask;
}

/**
 * Supervised contrastive loss (Khosla et al. 2020, eq. 2) of unit rows z
 * [2B, d] (view 1 of the batch, then view 2) at temperature tau:
 *   L = -1/2B sum_i 1/|P(i)| sum_{p in P(i)} log( exp(z_i·z_p/tau) / sum_{a != i} exp(z_i·z_a/tau) ).
 */
export function supConLoss(z: tf.Tensor, groups: ArrayLike<number>, tau: number): tf.Scalar {
  const n = 2 * groups.length;
  const pos = positiveMask(groups);
  const counts = new Float32Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) counts[i]! += pos[i * n + j]!;
  const sim = tf.div(tf.matMul(z as tf.Tensor2D, z as tf.Tensor2D, false, true), tau);
  // The anchor itself leaves the denominator: a large negative logit on the diagonal.
  const logProb = tf.logSoftmax(tf.sub(sim, tf.mul(tf.eye(n), 1e4)));
  const perAnchor = tf.div(tf.sum(tf.mul(logProb, tf.tensor2d(pos, [n, n])), 1), tf.tensor1d(counts));
  return tf.neg(tf.mean(perAnchor)) as tf.Scalar;
}

/** weightDecay/2 · the sum of squares of every convolution and dense weight (rank >= 2; not norms or biases). */
export function weightPenalty(vars: readonly tf.Variable[], weightDecay: number): tf.Scalar {
  const weights = vars.filter((v) => v.rank >= 2);
  if (weightDecay === 0 || weights.length === 0) return tf.scalar(0);
  return tf.mul(tf.addN(weights.map((v) => tf.sum(tf.square(v)))), weightDecay / 2) as tf.Scalar;
}
