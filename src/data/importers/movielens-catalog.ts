import { existsSync } from 'node:fs';
import type { Item, Shopper } from '../schema.js';
import type { BatchBuilder } from './clean.js';
import { at, openCsvTable, readSplitRows, type SourceRow } from './rows.js';
import { ageBand, parseNumber } from './values.js';
import { cell } from '../csv.js';

/**
 * The MovieLens catalog (u.item, movies.dat, movies.csv) and demographics
 * (u.user, users.dat). Titles and genres become items: genres as 0/1
 * attributes `genre:<name>`, category = the first genre or "movie".
 * u.item and the .dat files are latin-1.
 */

/** ml-100k's genre order (u.genre), used when u.genre is absent. */
export const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
] as const;

/** ml-1m occupation codes (README of ml-1m). */
export const ML1M_OCCUPATIONS = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service',
  'doctor/health care', 'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer',
  'retired', 'sales/marketing', 'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman',
  'unemployed', 'writer',
] as const;

const NO_GENRE = new Set(['unknown', '(no genres listed)']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface Movie {
  id: string;
  title: string;
  genres: string[];
  released: number | null;
  line: number;
}

/** Builds an item per movie; every item carries a flag for every genre of the file. */
function addMovies(b: BatchBuilder, path: string, movies: Movie[], vocab: readonly string[]): void {
  for (const m of movies) {
    const attributes: Item['attributes'] = {};
    const year = /\((\d{4})\)\s*$/.exec(m.title)?.[1];
    if (year !== undefined) attributes.year = Number(year);
    for (const g of vocab) attributes[`genre:${g}`] = m.genres.includes(g) ? 1 : 0;
    const named = m.genres.filter((g) => !NO_GENRE.has(g));
    const item: Item = {
      id: m.id,
      title: m.title,
      category: named[0] ?? 'movie',
      attributes,
      caption: named.length > 0 ? `${m.title}. ${named.join(', ')}.` : m.title,
      price: null,
      image: null,
      createdAt: m.released,
    };
    b.addItem(item, at(path, m.line));
  }
}

/** "01-Jan-1995" → unix ms (UTC). */
function releaseDate(s: string): number | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s.trim());
  const month = m === null ? -1 : MONTHS.indexOf(m[2]!.toLowerCase());
  return m === null || month < 0 ? null : Date.UTC(Number(m[3]), month, Number(m[1]));
}

function validMovie(b: BatchBuilder, path: string, row: SourceRow, id: string, title: string): boolean {
  b.read();
  if (id === '' || title === '') {
    b.drop('missingField', at(path, row.line), id === '' ? 'no movie id' : `movie ${id} has no title`);
    return false;
  }
  return true;
}

/** u.item: `id|title|release|video release|url|19 genre flags`, latin-1; genre names from u.genre when present. */
export async function readUItem(b: BatchBuilder, path: string, genrePath: string | undefined): Promise<void> {
  const vocab = genrePath !== undefined && existsSync(genrePath) ? await readGenres(genrePath) : [...ML100K_GENRES];
  const movies: Movie[] = [];
  for await (const row of readSplitRows(path, '|', { encoding: 'latin1' })) {
    const [id = '', title = '', released = ''] = row.fields.map((f) => f.trim());
    if (!validMovie(b, path, row, id, title)) continue;
    const flags = row.fields.slice(5);
    const genres = vocab.filter((_, g) => flags[g]?.trim() === '1');
    movies.push({ id, title, genres, released: releaseDate(released), line: row.line });
  }
  addMovies(b, path, movies, vocab);
}

async function readGenres(path: string): Promise<string[]> {
  const names: { name: string; code: number }[] = [];
  for await (const row of readSplitRows(path, '|', { encoding: 'latin1' })) {
    const code = parseNumber(row.fields[1] ?? '');
    if (row.fields[0] && code !== undefined) names.push({ name: row.fields[0].trim(), code });
  }
  return names.sort((a, b) => a.code - b.code).map((g) => g.name);
}

/** movies.dat (`id::title::A|B`, latin-1) or movies.csv (header movieId,title,genres; UTF-8). */
export async function readMoviesList(b: BatchBuilder, path: string, csv: boolean): Promise<void> {
  const movies: Movie[] = [];
  const vocab = new Set<string>();
  for await (const row of movieRows(path, csv)) {
    const [id = '', title = '', genreText = ''] = row.fields;
    if (!validMovie(b, path, row, id, title)) continue;
    const genres = genreText.split('|').filter((g) => g !== '');
    for (const g of genres) vocab.add(g);
    movies.push({ id, title, genres, released: null, line: row.line });
  }
  addMovies(b, path, movies, [...vocab].sort());
}

/** Rows of movies.dat or movies.csv as [id, title, genres]. */
async function* movieRows(path: string, csv: boolean): AsyncGenerator<SourceRow> {
  if (!csv) {
    for await (const row of readSplitRows(path, '::', { encoding: 'latin1' })) {
      yield { fields: row.fields.map((f) => f.trim()), line: row.line };
    }
    return;
  }
  const { header, rows } = await openCsvTable(path, ['movieId', 'title', 'genres'], 'a MovieLens movies.csv');
  for await (const row of rows) {
    yield { fields: ['movieId', 'title', 'genres'].map((c) => cell(row.fields, header, c)), line: row.line };
  }
}

/** u.user (`id|age|gender|occupation|zip`) or users.dat (`id::gender::age code::occupation code::zip`). */
export async function readMlUsers(b: BatchBuilder, path: string, dat: boolean): Promise<void> {
  const rows = dat ? readSplitRows(path, '::', { encoding: 'latin1' }) : readSplitRows(path, '|', { encoding: 'latin1' });
  for await (const row of rows) {
    b.read();
    const f = row.fields.map((x) => x.trim());
    const [id = '', ageText = '', gender = '', occupation = '', zip = ''] = dat ? [f[0], f[2], f[1], f[3], f[4]] : f;
    if (id === '') {
      b.drop('missingField', at(path, row.line), 'no user id');
      continue;
    }
    const age = parseNumber(ageText);
    const attributes: Shopper['attributes'] = {};
    // users.dat gives an age code (the band's lower bound), u.user the age in years.
    const band = ageBand(age);
    if (band !== undefined) attributes.ageBand = band;
    if (!dat && age !== undefined && band !== undefined) attributes.age = age;
    if (gender !== '') attributes.gender = gender;
    const occ = dat ? ML1M_OCCUPATIONS[parseNumber(occupation) ?? -1] : occupation;
    if (occ) attributes.occupation = occ;
    if (zip !== '') attributes.zip = zip;
    // The first digit of a US ZIP code names one of ten national zones.
    if (/^\d/.test(zip)) attributes.region = `zip${zip[0]}`;
    b.addShopper({ id, attributes, createdAt: null }, at(path, row.line));
  }
}
