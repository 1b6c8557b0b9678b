import { readManifest, writeArtifact } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import { checkInt, checkNumber, checkTriple, makeConfig } from './config.js';
import { asBatch, l2normalize, type EncoderInput, type ImageEncoder } from './encoder.js';
import { CATALOG_BACKGROUND, type Rgb } from './prepare.js';

/**
 * The "classic" encoder: a deterministic, non-learned baseline. Colour
 * histograms (a joint RGB histogram over the whole image and over a grid of
 * cells) and a histogram of gradient orientations weighted by magnitude over
 * a grid of cells (HOG, Dalal and Triggs 2005, without block normalisation).
 * Colours vote into the joint histogram by trilinear interpolation. Each
 * histogram is L1-normalised and square-rooted (the Hellinger kernel,
 * as RootSIFT, Arandjelovic and Zisserman 2012), so no single dominant bin
 * decides the similarity. The colour part is scaled by sqrt(colourWeight)
 * and the gradient part by sqrt(1 - colourWeight), so the cosine of two
 * embeddings is colourWeight * (colour cosine) + (1 - colourWeight) *
 * (gradient cosine). Pixels of the padding colour are left out of the colour
 * histograms: how much padding an image gets depends on its aspect ratio,
 * not on the product.
 */

export interface ClassicEncoderConfig {
  /** Side of the input images. */
  inputSize: number;
  /** Levels per RGB channel of the joint colour histogram (bins^3 bins). */
  colourBins: number;
  /** Cells per side for the local colour histograms (plus one global histogram). */
  colourGrid: number;
  /** Unsigned gradient orientation bins over [0, pi). */
  orientationBins: number;
  /** Cells per side for the orientation histograms. */
  gradientGrid: number;
  /** Share of the cosine that comes from colour, in [0, 1]. */
  colourWeight: number;
  /** Padding colour (0..255), left out of the colour histograms. */
  background: Rgb;
  /** Per-channel tolerance (0..255) within which a pixel counts as padding. */
  backgroundTolerance: number;
}

export const CLASSIC_DEFAULTS: Readonly<ClassicEncoderConfig> = Object.freeze({
  inputSize: 64,
  colourBins: 4,
  colourGrid: 2,
  orientationBins: 8,
  gradientGrid: 4,
  colourWeight: 0.7,
  background: CATALOG_BACKGROUND,
  backgroundTolerance: 6,
});

export const CLASSIC_VERSION = 1;

/** Below this share of non-padding pixels, colour histograms count every pixel (e.g. a white product). */
const MIN_FOREGROUND = 0.01;

function checkClassic(c: ClassicEncoderConfig): void {
  const w = 'classic encoder';
  checkInt(w, 'inputSize', c.inputSize, 8, 1024);
  checkInt(w, 'colourBins', c.colourBins, 2, 16);
  checkInt(w, 'colourGrid', c.colourGrid, 1, 8);
  checkInt(w, 'orientationBins', c.orientationBins, 2, 36);
  checkInt(w, 'gradientGrid', c.gradientGrid, 1, 16);
  checkNumber(w, 'colourWeight', c.colourWeight, 0, 1);
  checkTriple(w, 'background', c.background, 0, 255);
  checkNumber(w, 'backgroundTolerance', c.backgroundTolerance, 0, 255);
}

export class ClassicEncoder implements ImageEncoder {
  readonly kind = 'classic';
  readonly config: Readonly<ClassicEncoderConfig>;
  readonly dim: number;

  constructor(config: Partial<ClassicEncoderConfig> = {}) {
    this.config = makeConfig('classic encoder', CLASSIC_DEFAULTS, config, checkClassic);
    const c = this.config;
    this.dim = c.colourBins ** 3 * (1 + c.colourGrid ** 2) + c.orientationBins * c.gradientGrid ** 2;
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  get background(): Rgb {
    return this.config.background;
  }

  async embed(images: EncoderInput): Promise<Float32Array[]> {
    const batch = asBatch(images, this.inputSize);
    const per = this.inputSize * this.inputSize * 3;
    return Array.from({ length: batch.count }, (_, i) => this.embedOne(batch.data.subarray(i * per, (i + 1) * per)));
  }

  /** Embedding of one NHWC image (size x size x 3 in [0, 1]). */
  private embedOne(px: Float32Array): Float32Array {
    const c = this.config;
    const colour = colourHistograms(px, c);
    const grad = orientationHistograms(px, c);
    const out = new Float32Array(this.dim);
    const wc = Math.sqrt(c.colourWeight);
    const wg = Math.sqrt(1 - c.colourWeight);
    l2normalize(colour);
    for (let i = 0; i < colour.length; i++) out[i] = wc * colour[i]!;
    for (let i = 0; i < grad.length; i++) out[colour.length + i] = wg * grad[i]!;
    return l2normalize(out);
  }

  describe(): Record<string, unknown> {
    return { kind: this.kind, dim: this.dim, inputSize: this.inputSize, config: { ...this.config } };
  }

  async save(dir: string): Promise<void> {
    writeArtifact(dir, { kind: this.kind, version: CLASSIC_VERSION, hyperparameters: { ...this.config }, extra: { dim: this.dim } }, {});
  }

  /** Reads a classic encoder saved by save(). */
  static load(dir: string): ClassicEncoder {
    const m = readManifest(dir);
    if (m.kind !== 'classic' || m.version > CLASSIC_VERSION) fail('MODEL_INCOMPATIBLE', `${dir} is not a classic encoder this vitrine can read`);
    return new ClassicEncoder(m.hyperparameters as Partial<ClassicEncoderConfig>);
  }
}

/** Replaces each block of `len` values by sqrt(h / sum(h)) (zeros stay zeros). */
function hellinger(h: Float32Array, len: number): void {
  for (let b = 0; b < h.length; b += len) {
    let s = 0;
    for (let i = b; i < b + len; i++) s += h[i]!;
    if (s > 0) for (let i = b; i < b + len; i++) h[i] = Math.sqrt(h[i]! / s);
  }
}

/** Global + per-cell joint RGB histograms, each Hellinger-mapped: (1 + grid^2) x bins^3 values. */
function colourHistograms(px: Float32Array, c: Readonly<ClassicEncoderConfig>): Float32Array {
  const { inputSize: s, colourBins: nb, colourGrid: g } = c;
  const bins = nb * nb * nb;
  const h = new Float32Array((1 + g * g) * bins);
  const tol = c.backgroundTolerance / 255;
  const [br, bg, bb] = c.background.map((v) => v / 255) as [number, number, number];
  const isPad = (o: number): boolean => Math.abs(px[o]! - br) <= tol && Math.abs(px[o + 1]! - bg) <= tol && Math.abs(px[o + 2]! - bb) <= tol;
  let foreground = 0;
  for (let o = 0; o < px.length; o += 3) if (!isPad(o)) foreground++;
  const skipPad = foreground >= MIN_FOREGROUND * s * s;
  const lo = new Int32Array(3);
  const frac = new Float32Array(3);
  for (let y = 0; y < s; y++) {
    const cy = Math.floor((y * g) / s);
    for (let x = 0; x < s; x++) {
      const o = (y * s + x) * 3;
      if (skipPad && isPad(o)) continue;
      for (let ch = 0; ch < 3; ch++) softLevel(px[o + ch]!, nb, lo, frac, ch);
      const cell = (1 + cy * g + Math.floor((x * g) / s)) * bins;
      // Trilinear voting: each pixel spreads its unit weight over the 8 nearest bin centres.
      for (let corner = 0; corner < 8; corner++) {
        let bin = 0;
        let w = 1;
        for (let ch = 0; ch < 3; ch++) {
          const up = (corner >> ch) & 1;
          bin = bin * nb + Math.min(nb - 1, lo[ch]! + up);
          w *= up ? frac[ch]! : 1 - frac[ch]!;
        }
        if (w === 0) continue;
        h[bin]! += w;
        h[cell + bin]! += w;
      }
    }
  }
  hellinger(h, bins);
  return h;
}

/**
 * Soft assignment of a value in [0, 1] to `nb` levels whose centres are at
 * (l + 0.5) / nb: the lower level and the weight of the upper one (linear
 * interpolation), so nearby colours share bins instead of flipping at a bin edge.
 */
function softLevel(v: number, nb: number, lo: Int32Array, frac: Float32Array, ch: number): void {
  const p = Math.min(nb - 1, Math.max(0, v * nb - 0.5));
  const l = Math.min(nb - 2, Math.floor(p));
  lo[ch] = l;
  frac[ch] = p - l;
}

/** Magnitude-weighted unsigned orientation histograms over a grid, one Hellinger map over all cells. */
function orientationHistograms(px: Float32Array, c: Readonly<ClassicEncoderConfig>): Float32Array {
  const { inputSize: s, orientationBins: nb, gradientGrid: g } = c;
  const lum = new Float32Array(s * s);
  for (let i = 0; i < lum.length; i++) lum[i] = 0.299 * px[3 * i]! + 0.587 * px[3 * i + 1]! + 0.114 * px[3 * i + 2]!;
  const h = new Float32Array(g * g * nb);
  for (let y = 0; y < s; y++) {
    const up = Math.max(0, y - 1) * s;
    const down = Math.min(s - 1, y + 1) * s;
    const cy = Math.floor((y * g) / s);
    for (let x = 0; x < s; x++) {
      const gx = lum[y * s + Math.min(s - 1, x + 1)]! - lum[y * s + Math.max(0, x - 1)]!;
      const gy = lum[down + x]! - lum[up + x]!;
      const m = Math.sqrt(gx * gx + gy * gy);
      if (m === 0) continue;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += Math.PI;
      const bin = Math.min(nb - 1, Math.floor((theta / Math.PI) * nb));
      h[(cy * g + Math.floor((x * g) / s)) * nb + bin]! += m;
    }
  }
  hellinger(h, h.length);
  return h;
}
