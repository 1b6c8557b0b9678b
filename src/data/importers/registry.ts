import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail, throwIfAborted } from '../../core/errors.js';
import type { ImportBatch } from '../schema.js';
import { amazonImporter } from './amazon.js';
import { fashionMnistImporter } from './fashion-mnist.js';
import { genericImporter } from './generic.js';
import { hmImporter } from './hm.js';
import { IMPORT_FORMATS, isImportFormat, type ColumnMapping, type ImportFormat, type ImportOptions, type Importer } from './importer.js';
import { movielensImporter } from './movielens.js';
import { worldImporter } from './world.js';

/** The closed set of importers (conventions.md #8): a missing format fails to compile. */
export const IMPORTERS = {
  movielens: movielensImporter,
  amazon: amazonImporter,
  hm: hmImporter,
  'fashion-mnist': fashionMnistImporter,
  world: worldImporter,
  generic: genericImporter,
} as const satisfies Record<ImportFormat, Importer>;

/** Detection order: the most specific layouts first; generic only with a mapping. */
const DETECT_ORDER: readonly ImportFormat[] = ['world', 'hm', 'fashion-mnist', 'movielens', 'amazon'];

const FORMAT_HINT = `pass --format one of ${IMPORT_FORMATS.join(', ')} (generic needs --map user=<col>,item=<col>)`;

function requireExists(path: string): void {
  if (!existsSync(path)) fail('FILE_NOT_FOUND', `no such file or folder: ${path}`);
}

/**
 * The format of a file or folder, or undefined when none matches. Generic
 * CSV/JSONL is only chosen when a mapping is given. FILE_NOT_FOUND when the
 * path does not exist.
 */
export async function detectFormat(path: string, opts: { mapping?: ColumnMapping } = {}): Promise<ImportFormat | undefined> {
  requireExists(path);
  for (const format of DETECT_ORDER) {
    try {
      if (await IMPORTERS[format].detect(path)) return format;
    } catch {
      // A detector that cannot read the path does not claim it; the next one may.
    }
  }
  if (opts.mapping !== undefined && (await genericImporter.detect(path))) return 'generic';
  return undefined;
}

export interface ImportPathOptions extends ImportOptions {
  /** A format name (e.g. from --format); detected from the path when absent. */
  format?: string;
}

/**
 * Reads a dataset file or folder into an ImportBatch with its cleaning report.
 * UNKNOWN_FORMAT for an unknown --format value or an undetectable path,
 * FILE_NOT_FOUND for a missing path, MALFORMED_INPUT for a file that is not of
 * its format (truncated gzip, binary data, wrong header).
 */
export async function importPath(path: string, opts: ImportPathOptions): Promise<ImportBatch> {
  throwIfAborted(opts.signal);
  const abs = resolve(path);
  requireExists(abs);
  let format: ImportFormat | undefined;
  if (opts.format !== undefined) {
    if (!isImportFormat(opts.format)) fail('UNKNOWN_FORMAT', `unknown import format "${opts.format}"`, { hint: FORMAT_HINT });
    format = opts.format;
  } else {
    format = await detectFormat(abs, opts);
  }
  if (format === undefined) fail('UNKNOWN_FORMAT', `cannot tell the format of ${path}`, { hint: FORMAT_HINT });
  return IMPORTERS[format].read(abs, opts);
}
