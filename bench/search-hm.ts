import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressFn } from '../src/core/logger.js';
import { Rng } from '../src/core/rng.js';
import { importPath } from '../src/data/importers/index.js';
import type { Item } from '../src/data/schema.js';
import { preparedImages, type SearchSet } from './search-data.js';

/**
 * The H&M half of the search bench: the articles with a readable product
 * photo (the importer checks each image's header), split by a seeded shuffle
 * into held-out query articles and the catalog (the index, and the CNN's
 * training set). The importer stores product_type_name as the item's
 * category and colour_group_name as its `colour` attribute; relevance is
 * judged on each separately.
 */

export interface HmSearchOptions {
  /** Share of the imaged articles held out as queries. */
  queryShare: number;
  seed: number;
  /** Use at most this many imaged articles (after the shuffle), for quick runs. */
  limit?: number;
}

/** The imaged H&M articles of `dir`, split into catalog and queries. */
export async function hmSearchSet(dir: string, opts: HmSearchOptions, report: ProgressFn): Promise<SearchSet> {
  // The H&M importer writes no images (its photos keep their absolute paths); the folder only fills its contract.
  const scratch = mkdtempSync(join(tmpdir(), 'vitrine-bench-search-'));
  let imaged: Item[];
  try {
    const batch = await importPath(dir, { format: 'hm', imagesDir: scratch, onProgress: report });
    imaged = batch.items.filter((it) => it.image !== null);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const order = new Rng(opts.seed).shuffle(imaged.map((_, i) => i)).slice(0, opts.limit ?? imaged.length);
  const nQueries = Math.max(1, Math.round(opts.queryShare * order.length));
  const queries = order.slice(0, nQueries).map((i) => imaged[i]!);
  const catalog = order.slice(nQueries).map((i) => imaged[i]!);
  const colour = (it: Item): string | undefined => (typeof it.attributes.colour === 'string' ? it.attributes.colour : undefined);
  return {
    name: 'hm',
    description:
      `hm: H&M subset, ${order.length} articles with a readable photo${opts.limit === undefined ? '' : ` (limited to ${opts.limit})`}; ` +
      `${queries.length} (${Math.round(opts.queryShare * 100)}%, seeded shuffle, seed ${opts.seed}) held out as queries, ${catalog.length} indexed`,
    catalogItems: catalog,
    relevances: [
      { name: 'product_type_name', catalog: catalog.map((it) => it.category), queries: queries.map((it) => it.category) },
      { name: 'colour_group_name', catalog: catalog.map(colour), queries: queries.map(colour) },
    ],
    ...preparedImages(catalog.map((it) => it.image!), queries.map((it) => it.image!)),
  };
}
