import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail } from '../../core/errors.js';
import { cell } from '../csv.js';
import { fileSize, readHead } from '../lines.js';
import type { ImportBatch } from '../schema.js';
import { BatchBuilder, ticker } from './clean.js';
import type { ImportOptions, Importer } from './importer.js';
import { readMlUsers, readMoviesList, readUItem } from './movielens-catalog.js';
import { at, openCsvTable, readSplitRows, type SourceRow } from './rows.js';
import { parseNumber } from './values.js';

/**
 * MovieLens ratings: ml-100k `u.data` (tab-separated `user item rating ts`,
 * also its split files u1.base ... ub.test), ml-1m `ratings.dat` (`::`), and
 * ml-latest `ratings.csv` (header userId,movieId,rating,timestamp). The
 * catalog and demographics beside the file are loaded when present; then an
 * event naming a movie the catalog lacks is dropped as unknownId.
 * Event key: `ml:<user>:<item>:<ts ms>`; type `rating`, value = the rating.
 */

type Kind = 'udata' | 'dat' | 'csv';

interface Layout {
  ratings: string;
  kind: Kind;
}

const RATING_FILES: Record<string, Kind> = { 'u.data': 'udata', 'ratings.dat': 'dat', 'ratings.csv': 'csv' };
const SPLIT_FILE = /^u[1-5ab]\.(base|test)$/;

function kindOfFile(path: string): Kind | undefined {
  const name = basename(path);
  return RATING_FILES[name] ?? (SPLIT_FILE.test(name) ? 'udata' : undefined);
}

function locate(path: string): Layout | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) {
    for (const [name, kind] of Object.entries(RATING_FILES)) {
      const p = join(path, name);
      if (existsSync(p)) return { ratings: p, kind };
    }
    return undefined;
  }
  const kind = kindOfFile(path);
  return kind === undefined ? undefined : { ratings: path, kind };
}

/** With --format movielens, a ratings file of another name: its kind from its first line. */
function guessLayout(path: string): Layout {
  if (!existsSync(path) || statSync(path).isDirectory()) {
    fail('MALFORMED_INPUT', `${path} holds no MovieLens ratings (u.data, ratings.dat or ratings.csv)`);
  }
  const head = readHead(path, 256).toString('utf8');
  const kind: Kind = head.includes('::') ? 'dat' : /^\s*"?userId"?,/.test(head) ? 'csv' : 'udata';
  return { ratings: path, kind };
}

function detect(path: string): boolean {
  const layout = locate(path);
  if (layout === undefined) return false;
  if (layout.kind !== 'csv') return true;
  return /^\s*"?userId"?,"?movieId"?/.test(readHead(layout.ratings, 64).toString('utf8'));
}

async function loadCatalog(b: BatchBuilder, layout: Layout): Promise<boolean> {
  const dir = dirname(layout.ratings);
  const beside = (name: string): string | undefined => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  const catalog = layout.kind === 'udata' ? beside('u.item') : beside(layout.kind === 'dat' ? 'movies.dat' : 'movies.csv');
  const users = layout.kind === 'udata' ? beside('u.user') : layout.kind === 'dat' ? beside('users.dat') : undefined;
  if (catalog !== undefined) {
    if (layout.kind === 'udata') await readUItem(b, catalog, beside('u.genre'));
    else await readMoviesList(b, catalog, layout.kind === 'csv');
  }
  if (users !== undefined) await readMlUsers(b, users, layout.kind === 'dat');
  return catalog !== undefined;
}

async function* ratingRows(layout: Layout, opts: ImportOptions): AsyncGenerator<SourceRow> {
  const total = fileSize(layout.ratings);
  const tick = ticker('read ratings', opts.onProgress, opts.signal);
  const onBytes = (done: number): void => tick(done, total);
  const signal = opts.signal;
  if (layout.kind === 'csv') {
    const cols = ['userId', 'movieId', 'rating', 'timestamp'];
    const { header, rows } = await openCsvTable(layout.ratings, cols, 'a MovieLens ratings.csv', { onBytes, signal });
    for await (const row of rows) yield { fields: cols.map((c) => cell(row.fields, header, c)), line: row.line };
    return;
  }
  const sep = layout.kind === 'dat' ? '::' : /\t| +/;
  yield* readSplitRows(layout.ratings, sep, { onBytes, signal });
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const layout = locate(path) ?? guessLayout(path);
  const b = new BatchBuilder(path, 'movielens');
  const hasCatalog = await loadCatalog(b, layout);
  let n = 0;
  for await (const row of ratingRows(layout, opts)) {
    if (opts.limit !== undefined && n++ >= opts.limit) break;
    b.read();
    const where = at(layout.ratings, row.line);
    const [user = '', item = '', ratingText = '', tsText = ''] = row.fields.map((f) => f.trim());
    if (user === '' || item === '' || ratingText === '' || tsText === '') {
      b.drop('missingField', where, `expected user, item, rating and time, got ${row.fields.length} field(s)`);
      continue;
    }
    const rating = parseNumber(ratingText);
    const seconds = parseNumber(tsText);
    if (rating === undefined || rating < 0.5 || rating > 5) {
      b.drop('badValue', where, `rating "${ratingText}" is not a number in 0.5..5`);
    } else if (seconds === undefined || seconds < 0) {
      b.drop('badValue', where, `timestamp "${tsText}" is not unix seconds`);
    } else if (hasCatalog && !b.hasItem(item)) {
      b.drop('unknownId', where, `movie ${item} is not in the catalog`);
    } else {
      const ts = Math.round(seconds * 1000);
      const event = { key: `ml:${user}:${item}:${ts}`, shopperId: user, itemId: item, type: 'rating' as const, ts, value: rating, price: null, sessionId: null };
      b.addEvent(event, where);
    }
  }
  return b.finish();
}

export const movielensImporter: Importer = {
  format: 'movielens',
  describe: 'MovieLens ratings: a folder or u.data, ratings.dat, ratings.csv (with u.item/movies.*, u.user/users.dat beside)',
  detect,
  read,
};
