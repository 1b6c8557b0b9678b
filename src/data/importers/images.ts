import sharp from 'sharp';
import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import type { Item } from '../schema.js';
import type { BatchBuilder } from './clean.js';

/**
 * Checks that each item's image decodes far enough to read its header
 * (sharp metadata: format and size). An item whose image cannot be read
 * keeps its row with `image: null`, and the report counts it under
 * `unreadableImage`.
 */

const CONCURRENCY = 8;

/** Resolves to an error message, or undefined when the image is readable. */
export async function imageProblem(path: string): Promise<string | undefined> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) return 'the image has no size';
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'unreadable';
  }
}

export async function checkItemImages(
  b: BatchBuilder,
  items: readonly Item[],
  resolve: (image: string) => string,
  opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<void> {
  const withImage = items.filter((it) => it.image !== null);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < withImage.length) {
      throwIfAborted(opts.signal);
      const item = withImage[next++]!;
      const problem = await imageProblem(resolve(item.image!));
      if (problem !== undefined) {
        b.imageDropped(`item ${item.id}`, `image ${item.image} is unreadable (${problem})`);
        item.image = null;
      }
      if (++done % 256 === 0 || done === withImage.length) {
        opts.onProgress?.({ phase: 'check images', done, total: withImage.length });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
