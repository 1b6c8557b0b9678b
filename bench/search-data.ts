import type { ProgressFn } from '../src/core/logger.js';
import type { Item } from '../src/data/schema.js';
import type { ImageInput } from '../src/vision/image.js';
import { loadImage, type ImageBatch, type PrepareOptions } from '../src/vision/prepare.js';
import type { RelevanceLabels } from './search-eval.js';

/**
 * What the search bench needs from a dataset: catalog products (the index,
 * and the CNN's training set), query photos that are not in the catalog,
 * relevance labels for both, and the images prepared at any encoder's input
 * size through the product's one preprocessing (prepare.ts).
 */
export interface SearchSet {
  name: 'world' | 'hm';
  /** One line for the protocol: source, sizes, how the queries were made. */
  description: string;
  catalogItems: readonly Item[];
  relevances: readonly RelevanceLabels[];
  /** Catalog and query images prepared as `prep` says (an encoder's encoderPrepareOptions), aligned with the labels. */
  images(prep: PrepareOptions, report: ProgressFn): Promise<{ catalog: ImageBatch; queries: ImageBatch }>;
  /** Seconds spent decoding and preparing images so far. */
  prepareSeconds(): number;
}

/** Images decoded and prepared at once (sharp works on its own thread pool). */
const CHUNK = 16;

/**
 * Decodes and prepares every input at side `size` into one batch. Unlike
 * catalog indexing, an unreadable image fails the bench: the inputs were
 * checked (or rendered) before, and a silently shorter list would misalign
 * the labels.
 */
export async function prepareAll(inputs: readonly ImageInput[], prep: PrepareOptions, phase: string, report: ProgressFn): Promise<ImageBatch> {
  const size = prep.size;
  const per = size * size * 3;
  const data = new Float32Array(inputs.length * per);
  for (let s = 0; s < inputs.length; s += CHUNK) {
    const chunk = inputs.slice(s, s + CHUNK);
    const images = await Promise.all(chunk.map((input) => loadImage(input, prep)));
    images.forEach((im, i) => data.set(im.data, (s + i) * per));
    report({ phase, done: Math.min(s + CHUNK, inputs.length), total: inputs.length });
  }
  return { count: inputs.length, size, data };
}

/**
 * SearchSet.images over fixed catalog and query inputs, caching each
 * (size, background) so the classic and CNN encoders share a preparation
 * when they take the same input.
 */
export function preparedImages(catalog: readonly ImageInput[], queries: readonly ImageInput[]): Pick<SearchSet, 'images' | 'prepareSeconds'> {
  const cache = new Map<string, { catalog: ImageBatch; queries: ImageBatch }>();
  let seconds = 0;
  return {
    async images(prep, report) {
      const { size } = prep;
      const key = `${size}:${prep.background?.join(',') ?? ''}:${prep.trim === true ? 'trim' : ''}`;
      let hit = cache.get(key);
      if (hit === undefined) {
        const t0 = performance.now();
        hit = {
          catalog: await prepareAll(catalog, prep, `prepare catalog images ${size}px`, report),
          queries: await prepareAll(queries, prep, `prepare query images ${size}px`, report),
        };
        seconds += (performance.now() - t0) / 1000;
        cache.set(key, hit);
      }
      return hit;
    },
    prepareSeconds: () => seconds,
  };
}
