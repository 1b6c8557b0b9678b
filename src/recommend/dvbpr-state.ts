import { engineInfo, initEngine } from '../engine/engine.js';
import { isVitrineError } from '../core/errors.js';
import { embedImageData, netValues } from './dvbpr-net.js';
import type { DvbprParams } from './dvbpr-train.js';
import type { BaseState } from './model-base.js';
import type { ItemImages } from './recommender.js';

/**
 * What a fitted DVBPR keeps: plain arrays only (no tf.Variables), so a
 * fitted or loaded model holds no tensors until `preference` needs φ.
 */

/** φ's parameters by name. */
export type NetValues = Map<string, { data: Float32Array; shape: number[] }>;

export interface DvbprState extends BaseState {
  /** θ_u + w, nUsers x K. */
  x: Float32Array;
  /** φ(X_i), nItems x K (zero rows for items without an image). */
  y: Float32Array;
  /** The visual bias w (zeros when off). */
  w: Float32Array;
  net: NetValues;
}

/** The trained parameters as a state: θ + w, φ of every item image, φ's weights. */
export function snapshot(p: DvbprParams, images: ItemImages, base: BaseState): DvbprState {
  const k = p.net.config.embedding;
  const x = Float32Array.from(p.theta.dataSync() as Float32Array);
  const w = p.bias === undefined ? new Float32Array(k) : Float32Array.from(p.bias.dataSync() as Float32Array);
  for (let r = 0; r < x.length; r++) x[r] = x[r]! + w[r % k]!;
  const y = embedImageData(p.net, images.data, images.nItems, images.present);
  return { ...base, x, y, w, net: netValues(p.net) };
}

/** Rows `users` of the row-major n x k matrix x, stacked. */
export function userRows(x: Float32Array, users: readonly number[], k: number): Float32Array {
  const out = new Float32Array(users.length * k);
  users.forEach((u, r) => out.set(x.subarray(u * k, (u + 1) * k), r * k));
  return out;
}

/** Sets up the tensor engine (engine.ts) unless the caller already has. */
export async function ensureEngine(): Promise<void> {
  try {
    engineInfo();
  } catch (e) {
    if (!isVitrineError(e) || e.code !== 'NOT_FITTED') throw e;
    await initEngine();
  }
}
