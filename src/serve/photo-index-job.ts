import { existsSync } from 'node:fs';
import { fail } from '../core/errors.js';
import { openStore } from '../store/index.js';
import { indexExists } from '../vision/ann-files.js';
import { buildImageIndex } from '../vision/build-index.js';
import { ClassicEncoder } from '../vision/classic-encoder.js';
import type { ImageEncoder } from '../vision/encoder.js';
import { resolveEncoder } from '../vision/encoder-registry.js';
import { DEFAULT_IMAGE_INDEX, imageIndexPath, openImageIndex, saveImageIndex } from '../vision/image-index.js';
import type { JobKind } from './jobs/job-kinds.js';
import type { JobTask } from './jobs/job-tasks.js';

/**
 * The "image-index" background job: embeds the catalog's product images
 * and writes the image index that photo search reads (the work of `vitrine
 * index build`, in a job process so the server keeps answering). The
 * folders are fixed by the server that offers the kind, never taken from a
 * request: an admin chooses only the encoder ("classic", or "saved": the
 * encoder folder the server was given, e.g. a CNN trained on the catalog)
 * and whether to start over.
 */
export interface ImageIndexJobConfig {
  indexesDir: string;
  imagesDir: string;
  /** Index name (default "images"). */
  name?: string;
  /** A saved encoder folder offered as encoder "saved" (e.g. <workspace>/models/encoder). */
  savedEncoder?: string;
  /** Called in the server thread once the index is written. */
  onBuilt?: (result: Record<string, unknown>) => void | Promise<void>;
}

interface IndexParams {
  indexesDir: string;
  imagesDir: string;
  name: string;
  encoder: string;
  rebuild: boolean;
}

/** The kind to pass in ServeDeps.jobKinds as `{ 'image-index': imageIndexJobKind(...) }`. */
export function imageIndexJobKind(config: ImageIndexJobConfig): JobKind {
  return {
    validate(p) {
      for (const k of Object.keys(p)) if (k !== 'encoder' && k !== 'rebuild') fail('INVALID_ARGUMENT', `unknown image-index parameter "${k}"`, { hint: 'parameters: encoder (classic | saved), rebuild' });
      const encoder = p.encoder ?? (config.savedEncoder !== undefined && existsSync(config.savedEncoder) ? 'saved' : 'classic');
      if (encoder !== 'classic' && !(encoder === 'saved' && config.savedEncoder !== undefined)) {
        fail('INVALID_ARGUMENT', `image-index: encoder must be "classic"${config.savedEncoder === undefined ? '' : ' or "saved"'}, got ${JSON.stringify(encoder)}`);
      }
      if (p.rebuild !== undefined && typeof p.rebuild !== 'boolean') fail('INVALID_ARGUMENT', 'image-index: rebuild must be true or false');
      const params: IndexParams = {
        indexesDir: config.indexesDir,
        imagesDir: config.imagesDir,
        name: config.name ?? DEFAULT_IMAGE_INDEX,
        encoder: encoder === 'saved' ? config.savedEncoder! : 'classic',
        rebuild: p.rebuild === true,
      };
      return { ...params };
    },
    task: { module: new URL('./photo-index-job.js', import.meta.url).href, exportName: 'imageIndexTask' },
    onSucceeded: async (_params, result) => config.onBuilt?.(result),
  };
}

/** The worker side: brings the index up to date (or rebuilds it) and saves it with its encoder. */
export const imageIndexTask: JobTask = async (params, env) => {
  // Reported back: product photos set after this moment may be missing from the index (the server embeds them again).
  const startedAt = Date.now();
  const p = params as unknown as IndexParams;
  const path = imageIndexPath(p.indexesDir, p.name);
  const existing = !p.rebuild && indexExists(path) ? await openImageIndex(p.indexesDir, p.name).catch(() => undefined) : undefined;
  // An index made by another encoder than the one asked for is rebuilt, not mixed.
  const wanted = p.encoder === 'classic' ? 'classic' : undefined;
  const reuse = existing !== undefined && (wanted === undefined ? existing.encoder.kind !== 'classic' : existing.encoder.kind === wanted) ? existing : undefined;
  if (existing !== undefined && reuse === undefined) await existing.encoder.dispose?.();
  const encoder: ImageEncoder = reuse?.encoder ?? (p.encoder === 'classic' ? new ClassicEncoder() : await resolveEncoder(p.encoder));
  const store = openStore(env.storePath, { readonly: true });
  try {
    const r = await buildImageIndex(store, encoder, {
      imagesDir: p.imagesDir,
      onProgress: env.onProgress,
      signal: env.signal,
      ...(reuse === undefined ? {} : { index: reuse.index }),
    });
    env.onProgress({ phase: 'save index', done: 0, total: 1 });
    await saveImageIndex(path, r.index, encoder);
    env.onProgress({ phase: 'save index', done: 1, total: 1 });
    return { name: p.name, startedAt, encoder: encoder.kind, size: r.index.size, embedded: r.embedded, kept: r.kept, removed: r.removed, skipped: r.skipped, seconds: r.seconds };
  } finally {
    store.close();
    await encoder.dispose?.();
  }
};
