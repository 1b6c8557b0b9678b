import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { renderProductPng, type RenderInput } from './render.js';
import { readWorldItems, readWorldManifest, WORLD_FILES } from './world-files.js';

/**
 * Rendering product images into a world folder, now (writeWorld) or later
 * (`vitrine world --render-images <dir>` after `--lazy-images`).
 */

export interface RenderImagesOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Images rendered at once; sharp renders on its own thread pool. */
  concurrency?: number;
  /** Keep images that already exist (default true). */
  skipExisting?: boolean;
}

/** Renders `<imagesDir>/<id>.png` for each product; returns how many were rendered. */
export async function renderImagesInto(
  products: readonly RenderInput[],
  imagesDir: string,
  seed: number,
  opts: RenderImagesOptions = {},
): Promise<number> {
  mkdirSync(imagesDir, { recursive: true });
  const total = products.length;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  let next = 0;
  let done = 0;
  let rendered = 0;
  const every = Math.max(1, Math.floor(total / 200));
  const worker = async (): Promise<void> => {
    while (next < total) {
      throwIfAborted(opts.signal);
      const p = products[next++]!;
      const path = join(imagesDir, `${p.id}.png`);
      if (!(opts.skipExisting !== false && existsSync(path))) {
        await writeFile(path, await renderProductPng(p, 128, { seed }));
        rendered++;
      }
      done++;
      if (done % every === 0 || done === total) opts.onProgress?.({ phase: 'render images', done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, total)) }, worker));
  return rendered;
}

/**
 * Renders the images of a world written with `renderImages: false` and marks
 * world.json `imagesRendered: true`. Images already there are kept, so an
 * interrupted run resumes. Returns how many images were rendered.
 */
export async function renderWorldImages(dir: string, opts: Omit<RenderImagesOptions, 'skipExisting'> = {}): Promise<number> {
  const manifest = readWorldManifest(dir);
  const items = readWorldItems(dir);
  const rendered = await renderImagesInto(items, join(dir, WORLD_FILES.images), manifest.seed, opts);
  const path = join(dir, WORLD_FILES.manifest);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...manifest, imagesRendered: true }, null, 2)}\n`);
  renameSync(tmp, path);
  return rendered;
}
