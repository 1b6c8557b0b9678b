import type { CsrMatrix } from '../data/csr.js';
import { logSigmoid } from '../engine/ops.js';
import type { Adam } from '../engine/optim/adam.js';
import { tf } from '../engine/tf.js';
import type { DvbprNet } from './dvbpr-net.js';
import type { ItemImages } from './recommender.js';
import type { Triples } from './vbpr-sampler.js';

/**
 * One DVBPR training step (Kang et al. 2017, eq. 2-4): for a mini-batch of
 * triples (u_b, i_b, j_b), maximise
 *
 *   Σ_b Σ_k m_bk ln σ(x_{u_b i_b} - x_{u_b j_k}) - λ Σ_b ||θ_{u_b}||²,   x_ui = (θ_u + w)·φ(X_i)
 *
 * by one Adam step on θ, w (a visual bias shared by all shoppers, not shrunk)
 * and φ's weights. With `shared` negatives every positive is paired with
 * every negative of the batch that its shopper has not interacted with
 * (m_bk = 1), B² triples for the price of 2B images; otherwise only with its
 * own j_b. The images are run through φ once per distinct item.
 */
export interface DvbprParams {
  net: DvbprNet;
  /** θ, nUsers x K. */
  theta: tf.Variable;
  /** w, K (the visual bias), or undefined when off. */
  bias: tf.Variable | undefined;
}

/** A batch ready for the step: distinct items, each positive's column among them, and the triple weights. */
export interface DvbprBatch {
  users: Int32Array;
  /** Distinct items of the batch (columns of the score matrix). */
  items: Int32Array;
  /** Column of each positive i_b. */
  posCol: Int32Array;
  /** B x items.length weights m_bk (see the file comment), summing to `pairs`. */
  mask: Float32Array;
  pairs: number;
}

/** Builds the batch of `t` (see DvbprBatch). */
export function assembleBatch(t: Triples, ui: CsrMatrix, shared: boolean): DvbprBatch {
  const col = new Map<number, number>();
  const items: number[] = [];
  const colOf = (i: number): number => {
    let c = col.get(i);
    if (c === undefined) {
      c = items.length;
      col.set(i, c);
      items.push(i);
    }
    return c;
  };
  const b = t.user.length;
  const posCol = Int32Array.from(t.pos, colOf);
  const negCol = Int32Array.from(t.neg, colOf);
  const n = items.length;
  const mask = new Float32Array(b * n);
  let pairs = 0;
  for (let r = 0; r < b; r++) {
    const u = t.user[r]!;
    for (let k = shared ? 0 : r; k < (shared ? b : r + 1); k++) {
      const j = t.neg[k]!;
      if (j === t.pos[r] || ui.has(u, j)) continue;
      mask[r * n + negCol[k]!]! += 1;
      pairs++;
    }
  }
  return { users: t.user.slice(), items: Int32Array.from(items), posCol, mask, pairs };
}

/** The batch items' images as one NHWC array. */
export function gatherImages(images: ItemImages, items: Int32Array): Float32Array {
  const per = images.size * images.size * 3;
  const out = new Float32Array(items.length * per);
  items.forEach((i, r) => out.set(images.data.subarray(i * per, (i + 1) * per), r * per));
  return out;
}

/** The mean negative log-likelihood of the batch's triples plus λ Σ||θ_u||² / B, as a scalar tensor (differentiable). */
export function batchLoss(p: DvbprParams, batch: DvbprBatch, pixels: tf.Tensor4D, hasImage: tf.Tensor, lambda: number): tf.Scalar {
  const n = batch.items.length;
  const phi = tf.mul(p.net.apply(pixels), hasImage); // [n, K]; no visual signal for items without an image
  const th = tf.gather(p.theta, tf.tensor1d(batch.users, 'int32')); // [B, K]
  const user = p.bias === undefined ? th : tf.add(th, p.bias);
  const scores = tf.matMul(user, phi, false, true); // [B, n]
  const pos = tf.sum(tf.mul(scores, tf.oneHot(tf.tensor1d(batch.posCol, 'int32'), n)), 1, true); // [B, 1]
  const mask = tf.tensor2d(batch.mask, [batch.users.length, n]);
  const ll = tf.sum(tf.mul(logSigmoid(tf.sub(pos, scores)), mask));
  const nll = tf.div(tf.neg(ll), Math.max(1, batch.pairs));
  const reg = tf.mul(tf.sum(tf.square(th)), lambda / batch.users.length);
  return tf.add(nll, reg) as tf.Scalar;
}

/** One Adam step on the batch; returns the loss before the step. */
export function trainStep(p: DvbprParams, opt: Adam, batch: DvbprBatch, images: ItemImages, lambda: number): number {
  const vars = [...p.net.params().values()].filter((v) => v.trainable);
  vars.push(p.theta);
  if (p.bias !== undefined) vars.push(p.bias);
  const s = images.size;
  return tf.tidy(() => {
    const pixels = tf.tensor4d(gatherImages(images, batch.items), [batch.items.length, s, s, 3]);
    const has = tf.tensor2d(Float32Array.from(batch.items, (i) => images.present[i]!), [batch.items.length, 1]);
    const cost = opt.minimize(() => batchLoss(p, batch, pixels, has, lambda), true, vars);
    return cost === null ? Number.NaN : (cost.dataSync()[0] ?? Number.NaN);
  });
}
