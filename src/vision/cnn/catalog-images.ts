import { isVitrineError, throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import type { Item } from '../../data/schema.js';
import { itemImagePath } from '../build-index.js';
import type { ImageLimits } from '../image.js';
import { loadImage, type Rgb } from '../prepare.js';
import type { CnnTrainingData } from './train.js';

/**
 * Training images from catalog items, through the same decode/validate/
 * prepare steps (prepare.ts) as catalog indexing and uploaded photos, so the
 * network learns from exactly what it will see. Items without an image or
 * with an unreadable one are left out and counted.
 */

export interface CatalogImagesOptions {
  /** Folder that relative image paths are under (the workspace images folder). */
  imagesDir: string;
  size: number;
  background?: Rgb;
  /** Cut each image to the product before padding (prepareImage's trim). */
  trim?: boolean;
  limits?: Partial<ImageLimits>;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface CatalogImages extends CnnTrainingData {
  /** Items with no image reference, and with one that could not be read (with a few examples). */
  withoutImage: number;
  unreadable: number;
  unreadableExamples: string[];
}

const CHUNK = 32;

/** Loads and prepares the images of `items`, keeping the items whose image reads. */
export async function loadCatalogImages(items: readonly Item[], opts: CatalogImagesOptions): Promise<CatalogImages> {
  const withImage = items.filter((it) => it.image !== null);
  const per = opts.size * opts.size * 3;
  const data = new Float32Array(withImage.length * per);
  const kept: Item[] = [];
  const examples: string[] = [];
  const prep = { size: opts.size, ...(opts.background ? { background: opts.background } : {}), ...(opts.trim === true ? { trim: true } : {}), ...(opts.limits ? { limits: opts.limits } : {}) };
  for (let s = 0; s < withImage.length; s += CHUNK) {
    throwIfAborted(opts.signal);
    const chunk = withImage.slice(s, s + CHUNK);
    const settled = await Promise.allSettled(chunk.map((it) => loadImage(itemImagePath(it.image!, opts.imagesDir), prep)));
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        data.set(r.value.data, kept.length * per);
        kept.push(chunk[i]!);
        return;
      }
      if (!isVitrineError(r.reason) && !(r.reason instanceof Error)) throw r.reason;
      if (examples.length < 5) examples.push(`${chunk[i]!.id}: ${(r.reason as Error).message}`);
    });
    opts.onProgress?.({ phase: 'load images', done: Math.min(s + CHUNK, withImage.length), total: withImage.length });
  }
  return {
    images: { count: kept.length, size: opts.size, data: data.slice(0, kept.length * per) },
    items: kept,
    withoutImage: items.length - withImage.length,
    unreadable: withImage.length - kept.length,
    unreadableExamples: examples,
  };
}
