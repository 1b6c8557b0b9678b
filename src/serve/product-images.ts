import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { ImageFormat } from '../vision/image-format.js';
import { decodeImage } from '../vision/image.js';

/**
 * A seller's product photo (PUT /api/items/:id/image): checked like every
 * upload (vision/image.ts: JPEG, PNG or WebP, within the byte and pixel
 * limits, decodable to the end) before anything is written, then stored as
 * sent under <images>/uploads/ with a name made of the product id and a hash
 * of the bytes, written to a temporary file and renamed, so a reader never
 * sees half a file. The path is relative to the images folder, as the
 * importers store them. Replacing a photo leaves the old file for
 * `discardUpload`, called once the catalog points at the new one.
 */
export const UPLOADS_DIR = 'uploads';

export interface StoredImage {
  /** Path relative to the images folder (what Item.image holds). */
  image: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
}

const EXT: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

const shortHash = (data: string | Uint8Array, n: number): string => createHash('sha256').update(data).digest('hex').slice(0, n);

/** A readable, safe file stem for a product id (the id's hash keeps two ids with the same stem apart). */
function stem(itemId: string): string {
  const readable = itemId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  return `${readable}-${shortHash(itemId, 8)}`;
}

/** Validates `bytes` as a product image and stores it; throws the decoder's VitrineError (nothing written) when it is not one. */
export async function storeProductImage(imagesDir: string, itemId: string, bytes: Uint8Array, maxBytes: number): Promise<StoredImage> {
  const decoded = await decodeImage(bytes, { limits: { maxBytes }, name: `the image of product "${itemId}"` });
  const image = `${UPLOADS_DIR}/${stem(itemId)}-${shortHash(bytes, 12)}.${EXT[decoded.format]}`;
  const path = join(imagesDir, image);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { image, format: decoded.format, width: decoded.width, height: decoded.height, bytes: bytes.length };
}

/**
 * Deletes a replaced photo when it is one this module stored (under
 * <images>/uploads/); an imported image (a dataset's file) is never touched.
 */
export function discardUpload(imagesDir: string, previous: string | null, current: string): void {
  if (previous === null || previous === current || !previous.startsWith(`${UPLOADS_DIR}/`)) return;
  const uploads = resolve(imagesDir, UPLOADS_DIR) + sep;
  const path = resolve(imagesDir, previous);
  if (path.startsWith(uploads)) rmSync(path, { force: true });
}
