import type { Rng } from '../../core/rng.js';
import type { AugmentConfig } from './config.js';

/**
 * Training-time augmentation of prepared images (NHWC, [0, 1]): a random
 * similarity transform (zoom, rotation, shift, optional left-right mirror)
 * sampled bilinearly with edges clamped (a catalog image's border is its
 * plain background, so clamping extends it), then a small brightness and
 * contrast change around the image's mean grey, and a lighting gradient
 * (a highlight blended towards white on one side, a shade towards black on
 * the other, along a random direction: uneven studio light). These move every
 * channel alike and so keep hue: the colour class of a product must not
 * change, since it is one of the labels. Seeded: the same Rng gives the
 * same views.
 */

interface Params {
  /** Inverse map, output offset from the centre -> source offset: [a b; c d]. */
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
  gain: number;
  bias: number;
  /** Lighting gradient: direction (unit) and strength. */
  lx: number;
  ly: number;
  light: number;
}

function drawParams(rng: Rng, size: number, cfg: Readonly<AugmentConfig>): Params {
  const scale = rng.uniform(cfg.scaleMin, cfg.scaleMax);
  const theta = (rng.uniform(-cfg.rotate, cfg.rotate) * Math.PI) / 180;
  const flip = cfg.flip && rng.bool(0.5) ? -1 : 1;
  const cos = Math.cos(theta) / scale;
  const sin = Math.sin(theta) / scale;
  return {
    // src = R(-theta) · out / scale, then x mirrored.
    a: flip * cos, b: flip * sin, c: -sin, d: cos,
    tx: rng.uniform(-cfg.shift, cfg.shift) * size,
    ty: rng.uniform(-cfg.shift, cfg.shift) * size,
    gain: 1 + rng.uniform(-cfg.contrast, cfg.contrast),
    bias: rng.uniform(-cfg.brightness, cfg.brightness),
    ...lightDirection(rng.uniform(0, 2 * Math.PI)),
    light: rng.uniform(0, cfg.lighting),
  };
}

function lightDirection(a: number): { lx: number; ly: number } {
  return { lx: Math.cos(a), ly: Math.sin(a) };
}

/** Writes the augmented image `src` (size x size x 3) into `out`. */
function warp(src: Float32Array, out: Float32Array, size: number, p: Params): void {
  const mid = (size - 1) / 2;
  const max = size - 1;
  for (let y = 0; y < size; y++) {
    const oy = y - mid - p.ty;
    for (let x = 0; x < size; x++) {
      const ox = x - mid - p.tx;
      const sx = Math.min(max, Math.max(0, p.a * ox + p.b * oy + mid));
      const sy = Math.min(max, Math.max(0, p.c * ox + p.d * oy + mid));
      const x0 = Math.min(max - 1, Math.floor(sx));
      const y0 = Math.min(max - 1, Math.floor(sy));
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * size + x0) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + size * 3;
      const i11 = i01 + 3;
      const o = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = src[i00 + ch]! + fx * (src[i10 + ch]! - src[i00 + ch]!);
        const bottom = src[i01 + ch]! + fx * (src[i11 + ch]! - src[i01 + ch]!);
        out[o + ch] = top + fy * (bottom - top);
      }
    }
  }
}

/**
 * Contrast around the mean grey, brightness, then the lighting gradient:
 * t in [-1, 1] along the light's direction; v + light·t·(1 - v) where t > 0
 * (towards white), v·(1 + light·t) where t < 0 (towards black); clamped to [0, 1].
 */
function jitter(img: Float32Array, size: number, p: Params): void {
  let mean = 0;
  for (let i = 0; i < img.length; i++) mean += img[i]!;
  mean /= img.length;
  const mid = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (p.light * ((x - mid) * p.lx + (y - mid) * p.ly)) / (mid * Math.SQRT2 || 1);
      for (let ch = 0, o = (y * size + x) * 3; ch < 3; ch++, o++) {
        const v = Math.min(1, Math.max(0, mean + (img[o]! - mean) * p.gain + p.bias));
        img[o] = t >= 0 ? v + t * (1 - v) : v * (1 + t);
      }
    }
  }
}

/**
 * Augmented copies of images `indices` of `pixels` (count x size x size x 3)
 * as one NHWC batch.
 */
export function augmentBatch(pixels: Float32Array, size: number, indices: ArrayLike<number>, rng: Rng, cfg: Readonly<AugmentConfig>): Float32Array {
  const per = size * size * 3;
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const view = out.subarray(k * per, (k + 1) * per);
    const p = drawParams(rng, size, cfg);
    warp(pixels.subarray(i * per, (i + 1) * per), view, size, p);
    jitter(view, size, p);
  }
  return out;
}

/** The plain images `indices` as one NHWC batch (no augmentation). */
export function gatherBatch(pixels: Float32Array, size: number, indices: ArrayLike<number>): Float32Array {
  const per = size * size * 3;
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) out.set(pixels.subarray(indices[k]! * per, (indices[k]! + 1) * per), k * per);
  return out;
}
