import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../core/errors.js';
import { indexExists } from './ann-files.js';
import { VectorIndex } from './ann-index.js';
import type { ImageEncoder } from './encoder.js';
import { loadEncoder } from './encoder-registry.js';

/**
 * A catalog image index on disk: the vector index plus the encoder that made
 * its vectors, saved beside it, so a query photo is always embedded by the
 * same encoder with the same preprocessing as the catalog:
 *   <indexes>/<name>.json, <name>.g<N>.f32, <name>.g<N>.usearch   (VectorIndex)
 *   <indexes>/<name>.encoder/                                     (encoder artifact)
 */

export interface ImageIndex {
  name: string;
  path: string;
  index: VectorIndex;
  encoder: ImageEncoder;
}

export const DEFAULT_IMAGE_INDEX = 'images';

/** The path prefix of index `name` under the workspace indexes folder. */
export function imageIndexPath(indexesDir: string, name: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) fail('INVALID_ARGUMENT', `index name "${name}" may use only letters, digits, "_", "-" and "."`);
  return join(indexesDir, name);
}

/** The folder of the encoder saved beside index `path`. */
export const encoderDir = (path: string): string => `${path}.encoder`;

/** Saves the index and its encoder (the encoder first, then the index's sidecar last). */
export async function saveImageIndex(path: string, index: VectorIndex, encoder: ImageEncoder): Promise<void> {
  if (encoder.save === undefined) fail('UNSUPPORTED', `the ${encoder.kind} encoder cannot be saved, so its index cannot be searched later`);
  if (index.config.dim !== encoder.dim) fail('INVALID_ARGUMENT', `index holds ${index.config.dim}-d vectors but the encoder gives ${encoder.dim}`);
  const dir = encoderDir(path);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await encoder.save(tmp);
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
  index.save(path);
}

/** Opens index `name` under `indexesDir` with its encoder; MODEL_NOT_FOUND with a hint when there is none. */
export async function openImageIndex(indexesDir: string, name: string = DEFAULT_IMAGE_INDEX): Promise<ImageIndex> {
  const path = imageIndexPath(indexesDir, name);
  if (!indexExists(path) || !existsSync(join(encoderDir(path), 'manifest.json'))) {
    fail('MODEL_NOT_FOUND', `no image index "${name}" in ${indexesDir}`, { hint: `build it with \`vitrine index build --name ${name}\`` });
  }
  const index = VectorIndex.open(path);
  const encoder = await loadEncoder(encoderDir(path));
  if (encoder.dim !== index.config.dim) fail('MODEL_INCOMPATIBLE', `image index "${name}" holds ${index.config.dim}-d vectors but its encoder gives ${encoder.dim}`);
  return { name, path, index, encoder };
}
