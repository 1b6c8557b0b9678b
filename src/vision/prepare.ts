import sharp from 'sharp';
import { fail } from '../core/errors.js';
import { decodeImage, type DecodedImage, type DecodeOptions, type ImageInput } from './image.js';

/**
 * Model input from a decoded image: transparency flattened onto the
 * background, padded to a square with the background colour (the product is
 * never stretched or cropped), resized, and returned as floats in [0, 1].
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
}

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
  const out = await sharp(img.pixels, { raw })
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
