import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fail } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { WorkspacePaths } from '../core/workspace.js';
import { datasetFromBatch, type Dataset } from '../data/dataset.js';
import { importPath } from '../data/importers/index.js';
import { openStore } from '../store/index.js';

/** Whether `path` is a SQLite file (its 16-byte header). */
function isSqliteFile(path: string): boolean {
  if (!statSync(path).isFile()) return false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

/** `path` if a store exists there, else DATASET_NOT_FOUND with a hint. */
export function datasetStorePath(path: string): string {
  if (!existsSync(path)) fail('DATASET_NOT_FOUND', `no store at ${path}`, { hint: 'run `vitrine demo`, or `vitrine import <path>` first' });
  return path;
}

/** Reads every item, shopper and event of a store; refuses an empty one. */
export function datasetFromStore(path: string): Dataset {
  if (!existsSync(path)) fail('DATASET_NOT_FOUND', `no store at ${path}`, { hint: 'run `vitrine demo`, or `vitrine import <path>` first' });
  const store = openStore(path, { readonly: true });
  try {
    if (store.counts().events === 0) {
      fail('DATASET_NOT_FOUND', `the store ${path} holds no events`, { hint: 'import a dataset with `vitrine import <path>`' });
    }
    return store.loadDataset(basename(path));
  } finally {
    store.close();
  }
}

/**
 * The dataset a command works on: `--data <path>` (a store file, or any
 * importable dataset read in memory without touching the store), else the
 * workspace store.
 */
export async function loadDataset(
  data: string | undefined,
  ws: WorkspacePaths,
  opts: { format?: string; onProgress?: ProgressFn } = {},
): Promise<Dataset> {
  if (data === undefined) return datasetFromStore(ws.store);
  if (!existsSync(data)) fail('FILE_NOT_FOUND', `no such file or folder: ${data}`);
  if (isSqliteFile(data)) return datasetFromStore(data);
  const batch = await importPath(data, {
    imagesDir: ws.images,
    ...(opts.format === undefined ? {} : { format: opts.format }),
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
  });
  if (batch.events.length === 0) fail('DATASET_NOT_FOUND', `${data} holds no interactions to train or evaluate on`);
  return datasetFromBatch(basename(data), batch);
}
