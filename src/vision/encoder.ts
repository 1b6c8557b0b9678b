import { fail } from '../core/errors.js';
import { loadImage, stackImages, type ImageBatch, type PreparedImage, type PrepareOptions, type Rgb } from './prepare.js';
import type { DecodeOptions, ImageInput } from './image.js';

/**
 * The image encoder interface (architecture.md, "Key interfaces"): prepared
 * images in, one L2-normalised embedding per image out, so cosine similarity
 * is a dot product. Implementations: the classic baseline (classic-encoder.ts),
 * a shop's ONNX backbone (onnx-encoder.ts), and the CNN trained on the
 * catalog (added later behind this same interface). Saved encoders load
 * through the closed registry in encoder-registry.ts.
 */

/** Prepared images of side `inputSize`, as a list or already stacked (NHWC, [0, 1]). */
export type EncoderInput = readonly PreparedImage[] | ImageBatch;

export interface ImageEncoder {
  /** Registry kind, e.g. "classic" or "onnx"; selects the loader of a saved encoder. */
  readonly kind: string;
  /** Length of each embedding. */
  readonly dim: number;
  /** Side of the square input images the encoder takes (prepareImage's `size`). */
  readonly inputSize: number;
  /** Padding colour for prepareImage (default CATALOG_BACKGROUND). */
  readonly background?: Rgb;
  /** prepareImage's trim: the encoder was trained on images cut to the product (default false). */
  readonly trim?: boolean;
  /** One L2-normalised embedding per image (a zero vector only for an image with no signal at all). */
  embed(images: EncoderInput): Promise<Float32Array[]>;
  /** Writes the encoder as an artifact directory that loadEncoder(dir) reads back. */
  save?(dir: string): Promise<void>;
  /** Frees native resources (an ONNX session). */
  dispose?(): Promise<void>;
  /** A short JSON description (kind, dim, preprocessing) for manifests and reports. */
  describe(): Record<string, unknown>;
}

/** The input as one NHWC batch of side `size` (stacked when given as a list). */
export function asBatch(input: EncoderInput, size: number): ImageBatch {
  if (!('count' in input)) return stackImages(input, size);
  if (input.size !== size || input.data.length !== input.count * size * size * 3) {
    fail('INVALID_ARGUMENT', `image batch of ${input.count} at ${input.size}x${input.size} does not fit an encoder taking ${size}x${size}`);
  }
  return input;
}

/** Scales v to unit L2 norm in place (a zero vector stays zero) and returns it. */
export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}

/** Dot product of two vectors of the same length. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** How images are prepared for `encoder`: its input side, padding colour and trim. */
export function encoderPrepareOptions(encoder: Pick<ImageEncoder, 'inputSize' | 'background' | 'trim'>): PrepareOptions {
  return { size: encoder.inputSize, ...(encoder.background ? { background: encoder.background } : {}), ...(encoder.trim === true ? { trim: true } : {}) };
}

/** Decodes, validates, prepares and embeds one image (a path or an upload) with `encoder`. */
export async function embedImage(encoder: ImageEncoder, input: ImageInput, opts: DecodeOptions = {}): Promise<Float32Array> {
  const prepared = await loadImage(input, { ...opts, ...encoderPrepareOptions(encoder) });
  const [v] = await encoder.embed([prepared]);
  if (v === undefined || v.length !== encoder.dim) fail('INTERNAL', `encoder ${encoder.kind} returned no ${encoder.dim}-d embedding`);
  return v;
}
