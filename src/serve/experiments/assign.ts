import { fail } from '../../core/errors.js';
import { hashString } from '../../core/rng.js';
import type { ExperimentVariant } from '../../store/serving-types.js';

/**
 * Deterministic variant assignment (issue 4: "assignment is deterministic by
 * hashing the shopper"): u = mix(FNV-1a("<experiment>:<shopper>")) / 2^32
 * falls into one variant's share of [0, 1), shares proportional to weights.
 * The same shopper always gets the same variant of an experiment, with no
 * state to store; salting with the experiment id decorrelates experiments.
 * FNV-1a alone has weak low bits on similar ids (s00001, s00002, ...), so
 * the hash is finished with MurmurHash3's fmix32 avalanche.
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by the experiment and the shopper. */
export function assignmentPoint(experimentId: string, shopperId: string): number {
  return fmix32(hashString(`${experimentId}:${shopperId}`)) / 4294967296;
}

/** The variant of `shopperId` in an experiment with these variants. */
export function assignVariant<V extends Pick<ExperimentVariant, 'name' | 'weight'>>(experimentId: string, shopperId: string, variants: readonly V[]): V {
  if (variants.length === 0) fail('INVALID_ARGUMENT', `experiment ${experimentId} has no variants`);
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (!(total > 0)) fail('INVALID_ARGUMENT', `experiment ${experimentId}: variant weights must sum to more than 0`);
  let u = assignmentPoint(experimentId, shopperId) * total;
  for (const v of variants) {
    u -= v.weight;
    if (u < 0) return v;
  }
  return variants[variants.length - 1]!;
}
