import sharp from 'sharp';
import { fail } from '../core/errors.js';
import { decodeImage, type DecodedImage, type DecodeOptions, type ImageInput } from './image.js';

/**
 * Model input from a decoded image: transparency flattened onto the
 * background, optionally trimmed to the product (the border of near-uniform
 * colour cut away, so a small product fills the input as a large one does),
 * padded to a square with the background colour (the product is never
 * stretched or cut), resized, and returned as floats in [0, 1].
 * The one preprocessing for catalog images and uploads, so a photo of a
 * product and the product's catalog image go through the same steps.
 */

/** An sRGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];

/** The neutral white of catalog photography (and of the synthetic world's studio). */
export const CATALOG_BACKGROUND: Rgb = Object.freeze([255, 255, 255]) as Rgb;

export interface PrepareOptions {
  /** Side of the square model input, in pixels. */
  size: number;
  /** Colour for padding and for transparent pixels (default CATALOG_BACKGROUND). */
  background?: Rgb;
  /** Cut away the border that has the top-left pixel's colour (within TRIM_THRESHOLD) before padding (default false). */
  trim?: boolean;
}

/** sharp's trim threshold: how far (in 0..255 colour distance) a border pixel may be from the corner's colour. */
export const TRIM_THRESHOLD = 20;

/** A square RGB image as the encoders take it: NHWC with N = 1, values in [0, 1]. */
export interface PreparedImage {
  size: number;
  /** size * size * 3 floats, row-major, channels interleaved (R, G, B). */
  data: Float32Array;
}

/** Several prepared images of one size stacked: count x size x size x 3 (NHWC). */
export interface ImageBatch {
  count: number;
  size: number;
  data: Float32Array;
}

function checkOptions(opts: PrepareOptions): Rgb {
  if (!Number.isInteger(opts.size) || opts.size < 1 || opts.size > 4096) {
    fail('INVALID_ARGUMENT', `image size must be an integer in [1, 4096], got ${opts.size}`);
  }
  const bg = opts.background ?? CATALOG_BACKGROUND;
  if (bg.length !== 3 || bg.some((c) => !Number.isFinite(c) || c < 0 || c > 255)) {
    fail('INVALID_ARGUMENT', `background must be three numbers in [0, 255], got [${bg.join(', ')}]`);
  }
  return bg;
}

/** Pads `img` to a square with the background, resizes it to opts.size, and scales to [0, 1]. */
export async function prepareImage(img: DecodedImage, opts: PrepareOptions): Promise<PreparedImage> {
  const [r, g, b] = checkOptions(opts);
  const background = { r, g, b, alpha: 1 };
  const raw = { width: img.width, height: img.height, channels: img.channels };
  const src = opts.trim === true ? await trimmed(img, background) : sharp(img.pixels, { raw });
  const out = await src
    .flatten({ background })
    .resize(opts.size, opts.size, { fit: 'contain', background, kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
  if (out.length !== opts.size * opts.size * 3) fail('INTERNAL', `resize gave ${out.length} bytes for a ${opts.size}x${opts.size} RGB image`);
  const data = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) data[i] = out[i]! / 255;
  return { size: opts.size, data };
}

/** The image cut to its content; a uniform image (nothing to keep) stays whole. */
async function trimmed(img: DecodedImage, background: { r: number; g: number; b: number; alpha: number }): Promise<ReturnType<typeof sharp>> {
  const raw = { width: img.width, height: img.height, channels: img.channels };
  try {
    const t = await sharp(img.pixels, { raw }).flatten({ background }).trim({ threshold: TRIM_THRESHOLD }).raw().toBuffer({ resolveWithObject: true });
    if (t.info.width >= 2 && t.info.height >= 2) return sharp(t.data, { raw: { width: t.info.width, height: t.info.height, channels: t.info.channels } });
  } catch {
    // sharp refuses to trim an image that is all border: keep it as it is.
  }
  return sharp(img.pixels, { raw });
}

/** decodeImage then prepareImage: a path or upload straight to model input (errors as decodeImage). */
export async function loadImage(input: ImageInput, opts: PrepareOptions & DecodeOptions): Promise<PreparedImage> {
  return prepareImage(await decodeImage(input, opts), opts);
}

/** Stacks prepared images into one NHWC batch; every image must have side `size`. */
export function stackImages(images: readonly PreparedImage[], size: number): ImageBatch {
  const per = size * size * 3;
  const data = new Float32Array(images.length * per);
  images.forEach((im, i) => {
    if (im.size !== size || im.data.length !== per) {
      fail('INVALID_ARGUMENT', `image ${i} is ${im.size}x${im.size}; this encoder takes ${size}x${size}`, {
        hint: 'prepare images with the encoder\'s inputSize',
      });
    }
    data.set(im.data, i * per);
  });
  return { count: images.length, size, data };
}
