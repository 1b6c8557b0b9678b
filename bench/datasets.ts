import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../src/core/errors.js';
import { resolveDatasets } from '../src/core/workspace.js';

/**
 * Finds a benchmark dataset file: `data` may be the file itself or a folder
 * holding `relPath` (the shared datasets root); else $VITRINE_DATASETS/relPath.
 */
export function findDataset(relPath: string, data?: string): string {
  const candidates: string[] = [];
  if (data !== undefined) {
    if (existsSync(data) && statSync(data).isFile()) return data;
    candidates.push(join(data, relPath), join(data, relPath.split('/').slice(1).join('/')));
  } else {
    const root = resolveDatasets();
    if (root !== undefined) candidates.push(join(root, relPath));
  }
  const found = candidates.find((p) => p !== '' && existsSync(p));
  if (found === undefined) {
    fail('DATASET_NOT_FOUND', `benchmark dataset ${relPath} not found${candidates.length ? ` (looked at ${candidates.join(', ')})` : ''}`, {
      hint: 'pass --data <datasets folder or file>, or set VITRINE_DATASETS (e.g. ../shared/datasets)',
    });
  }
  return found;
}

/** findDataset for an optional part of a bench: undefined, with a note saying why, when the dataset is not there. */
export function findOptionalDataset(relPath: string, data: string | undefined, notes: string[], label: string): string | undefined {
  try {
    return findDataset(relPath, data);
  } catch (e) {
    notes.push(`${label} skipped: ${(e as Error).message}`);
    return undefined;
  }
}
