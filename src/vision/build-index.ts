import { isAbsolute, join } from 'node:path';
import { fail, isVitrineError, throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { VectorIndexConfig } from './ann-config.js';
import { VectorIndex } from './ann-index.js';
import { encoderPrepareOptions, type ImageEncoder } from './encoder.js';
import type { ImageLimits } from './image.js';
import { loadImage, type PreparedImage } from './prepare.js';

/**
 * Catalog embedding: every product with an image goes through the same
 * decode/validate/prepare steps as an upload, then the encoder, then the
 * index. An unreadable image is skipped and counted, never the end of the
 * build. Given an existing index, only products not in it yet are embedded
 * and products no longer in the store are removed (no rebuild).
 */

export interface BuildImageIndexOptions {
  /** Folder that relative item image paths are under (the workspace images folder). */
  imagesDir: string;
  /** An index to bring up to date instead of starting a new one. */
  index?: VectorIndex;
  /** Settings for a new index (dim comes from the encoder). */
  indexConfig?: Partial<Omit<VectorIndexConfig, 'dim'>>;
  /** Images decoded and embedded at once. */
  batchSize?: number;
  limits?: Partial<ImageLimits>;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface ImageIndexReport {
  index: VectorIndex;
  /** Products in the store, and of those with an image reference. */
  items: number;
  withImage: number;
  /** Embedded now; already in the index and kept; removed because gone from the store (or their image). */
  embedded: number;
  kept: number;
  removed: number;
  /** Images that could not be read (missing, corrupt, too large, wrong format), with a few examples. */
  skipped: number;
  skippedExamples: string[];
  seconds: number;
}

const PAGE = 2000;
const MAX_EXAMPLES = 5;

/** Where an item's image is: an absolute path as is, else under `imagesDir`. */
export function itemImagePath(image: string, imagesDir: string): string {
  return isAbsolute(image) ? image : join(imagesDir, image);
}

/** (itemId, image path) of every product with an image, in store order. */
function catalogImages(store: Store, imagesDir: string): { items: number; list: [string, string][] } {
  const list: [string, string][] = [];
  let items = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = store.listItems({ offset, limit: PAGE });
    items += page.length;
    for (const it of page) if (it.image !== null) list.push([it.id, itemImagePath(it.image, imagesDir)]);
    if (page.length < PAGE) break;
  }
  return { items, list };
}

/** Embeds the catalog's images with `encoder` into a new or existing index. */
export async function buildImageIndex(store: Store, encoder: ImageEncoder, opts: BuildImageIndexOptions): Promise<ImageIndexReport> {
  const t0 = performance.now();
  if (opts.index !== undefined && opts.index.config.dim !== encoder.dim) {
    fail('INVALID_ARGUMENT', `the index holds ${opts.index.config.dim}-d vectors but the ${encoder.kind} encoder gives ${encoder.dim}`, { hint: 'rebuild the index with this encoder' });
  }
  const index = opts.index ?? new VectorIndex({ ...opts.indexConfig, dim: encoder.dim });
  const { items, list } = catalogImages(store, opts.imagesDir);
  const wanted = new Set(list.map(([id]) => id));
  let removed = 0;
  for (const key of [...index.keys()]) if (!wanted.has(key) && index.remove(key)) removed++;
  const todo = list.filter(([id]) => !index.has(id));
  const report: ImageIndexReport = { index, items, withImage: list.length, embedded: 0, kept: list.length - todo.length, removed, skipped: 0, skippedExamples: [], seconds: 0 };
  const batchSize = Math.max(1, opts.batchSize ?? 32);
  for (let start = 0; start < todo.length; start += batchSize) {
    throwIfAborted(opts.signal);
    await embedBatch(todo.slice(start, start + batchSize), encoder, index, report, opts);
    opts.onProgress?.({ phase: 'embed images', done: Math.min(start + batchSize, todo.length), total: todo.length });
  }
  index.meta = { ...index.meta, encoder: encoder.describe(), builtAt: new Date().toISOString() };
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

async function embedBatch(batch: [string, string][], encoder: ImageEncoder, index: VectorIndex, report: ImageIndexReport, opts: BuildImageIndexOptions): Promise<void> {
  const prep = { ...encoderPrepareOptions(encoder), ...(opts.limits ? { limits: opts.limits } : {}) };
  const settled = await Promise.allSettled(batch.map(([, path]) => loadImage(path, prep)));
  const keys: string[] = [];
  const images: PreparedImage[] = [];
  settled.forEach((r, i) => {
    const id = batch[i]![0];
    if (r.status === 'fulfilled') {
      keys.push(id);
      images.push(r.value);
      return;
    }
    if (!isVitrineError(r.reason) && !(r.reason instanceof Error)) throw r.reason;
    report.skipped++;
    if (report.skippedExamples.length < MAX_EXAMPLES) report.skippedExamples.push(`${id}: ${(r.reason as Error).message}`);
  });
  if (keys.length === 0) return;
  const vectors = await encoder.embed(images);
  const flat = new Float32Array(keys.length * encoder.dim);
  vectors.forEach((v, i) => flat.set(v, i * encoder.dim));
  index.addMany(keys, flat);
  report.embedded += keys.length;
}
