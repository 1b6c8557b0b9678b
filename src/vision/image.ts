import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp from 'sharp';
import { fail, VitrineError } from '../core/errors.js';
import { sniffImageFormat, type ImageFormat } from './image-format.js';

/**
 * Decoding and validating images, for catalog images and shoppers' uploads
 * alike. The format is read from the content (JPEG, PNG, WebP only); the
 * file size and the pixel count are bounded before any pixel is decoded, so
 * a "decompression bomb" (a small file declaring a huge canvas) is refused
 * from its header; truncated or corrupt data is refused while decoding.
 * Nothing is stored: these functions only read.
 */

export interface ImageLimits {
  /** Largest encoded size accepted, in bytes. */
  maxBytes: number;
  /** Largest width x height accepted. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({ maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 });

/** A decoded, validated image: 8-bit sRGB pixels, EXIF orientation applied. */
export interface DecodedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA, when the image has transparency). */
  channels: 3 | 4;
  /** Row-major interleaved pixels, width * height * channels bytes. */
  pixels: Buffer;
  /** What the image is called in messages: the file name, or "upload". */
  source: string;
  /** Encoded size in bytes. */
  bytes: number;
}

/** A file path, or the encoded bytes of an image (an upload). */
export type ImageInput = string | Uint8Array;

export interface DecodeOptions {
  limits?: Partial<ImageLimits>;
  /** Name used in error messages for byte input (default "upload"). */
  name?: string;
}

/** Limits with defaults filled in and checked. */
export function imageLimits(limits: Partial<ImageLimits> = {}): ImageLimits {
  const l = { ...DEFAULT_IMAGE_LIMITS, ...limits };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0) fail('INVALID_ARGUMENT', `image limit ${k} must be a positive number, got ${v}`);
  }
  return l;
}

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const mp = (n: number): string => `${(n / 1e6).toFixed(1)} megapixels`;

/** Reads a file within the byte limit (checked from its size before reading). */
async function readBounded(path: string, limits: ImageLimits): Promise<Buffer> {
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') fail('FILE_NOT_FOUND', `no such image file: ${path}`);
    throw e;
  });
  if (!s.isFile()) fail('INVALID_ARGUMENT', `${path} is not a file`);
  if (s.size > limits.maxBytes) {
    fail('PAYLOAD_TOO_LARGE', `${basename(path)} is ${mb(s.size)}; images may be at most ${mb(limits.maxBytes)}`);
  }
  return readFile(path);
}

/** The first line of a sharp/libvips message (they repeat warnings over several lines). */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

function checkFormat(bytes: Uint8Array, source: string): ImageFormat {
  if (bytes.length === 0) fail('CORRUPT_IMAGE', `${source} is empty (0 bytes)`);
  const sniffed = sniffImageFormat(bytes);
  if ('accepted' in sniffed) return sniffed.accepted;
  const what = 'other' in sniffed ? `a ${sniffed.other}` : 'not an image vitrine recognises';
  fail('UNKNOWN_FORMAT', `${source} is ${what}; images must be JPEG, PNG or WebP`, {
    hint: 'convert the file to JPEG, PNG or WebP',
  });
}

/** Header dimensions, checked against the pixel limit before decoding. */
async function checkHeader(bytes: Uint8Array, format: ImageFormat, source: string, limits: ImageLimits): Promise<void> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch (e) {
    fail('CORRUPT_IMAGE', `${source} is not a readable ${format.toUpperCase()} image (${firstLine(e)})`, { cause: e });
  }
  if (!width || !height) fail('CORRUPT_IMAGE', `${source} has no width or height in its ${format.toUpperCase()} header`);
  if (width * height > limits.maxPixels) {
    fail('PAYLOAD_TOO_LARGE', `${source} is ${width}x${height} (${mp(width * height)}); images may have at most ${mp(limits.maxPixels)}`, {
      hint: 'resize the image before uploading it',
    });
  }
}

/**
 * Decodes and validates an image from a path or bytes. Errors (VitrineError):
 * FILE_NOT_FOUND; PAYLOAD_TOO_LARGE over `maxBytes` or `maxPixels`;
 * UNKNOWN_FORMAT for anything but JPEG/PNG/WebP (GIF, PDF, text, ...);
 * CORRUPT_IMAGE for empty, truncated or corrupt data.
 */
export async function decodeImage(input: ImageInput, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const limits = imageLimits(opts.limits);
  const source = typeof input === 'string' ? basename(input) : (opts.name ?? 'upload');
  const bytes = typeof input === 'string' ? await readBounded(input, limits) : input;
  if (bytes.length > limits.maxBytes) fail('PAYLOAD_TOO_LARGE', `${source} is ${mb(bytes.length)}; images may be at most ${mb(limits.maxBytes)}`);
  const format = checkFormat(bytes, source);
  await checkHeader(bytes, format, source, limits);
  try {
    // failOn 'error' refuses truncated and corrupt data but tolerates benign warnings.
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: limits.maxPixels })
      .autoOrient()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels === 4 ? 4 : 3;
    if (info.channels !== channels) fail('CORRUPT_IMAGE', `${source} decoded to ${info.channels} channels`);
    return { format, width: info.width, height: info.height, channels, pixels: data, source, bytes: bytes.length };
  } catch (e) {
    if (e instanceof VitrineError) throw e;
    if (/pixel limit/i.test(firstLine(e))) fail('PAYLOAD_TOO_LARGE', `${source} has more than ${mp(limits.maxPixels)}`, { cause: e });
    fail('CORRUPT_IMAGE', `${source} is not a readable ${format.toUpperCase()} image: truncated or corrupt (${firstLine(e)})`, { cause: e });
  }
}
