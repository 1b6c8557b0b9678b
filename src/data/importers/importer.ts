import type { ProgressFn } from '../../core/logger.js';
import type { ImportBatch } from '../schema.js';

/** Every source format `vitrine import` reads; one importer file per format. */
export const IMPORT_FORMATS = ['movielens', 'amazon', 'hm', 'fashion-mnist', 'world', 'generic'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(s: string): s is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(s);
}

/**
 * Which source columns (CSV) or keys (JSONL) hold each event field, for the
 * generic importer: `user=customer,item=sku,ts=time` (see parseMapping).
 */
export interface ColumnMapping {
  user: string;
  item: string;
  /** Unix seconds, unix milliseconds or an ISO date; without it, ts is the row number (keeps file order). */
  ts?: string;
  /** One of view, click, cart, purchase, rating; without it, `rating` when value is mapped, else `purchase`. */
  type?: string;
  value?: string;
  price?: string;
  session?: string;
}

export interface ImportOptions {
  /** The workspace images folder, for formats that write images (Fashion-MNIST). */
  imagesDir: string;
  onProgress?: ProgressFn;
  /** Read at most this many records from the main source (interaction rows; images for Fashion-MNIST). */
  limit?: number;
  /** Column mapping, for the generic format. */
  mapping?: ColumnMapping;
  signal?: AbortSignal;
}

/** One source format: recognises a path and reads it into records plus a cleaning report. */
export interface Importer {
  format: ImportFormat;
  /** One line for `--help` and error hints. */
  describe: string;
  /** True when `path` (a file or a folder) looks like this format. Never throws for a readable path. */
  detect(path: string): Promise<boolean> | boolean;
  read(path: string, opts: ImportOptions): Promise<ImportBatch>;
}
