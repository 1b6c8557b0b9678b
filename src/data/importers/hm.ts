import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '../../core/errors.js';
import { cell } from '../csv.js';
import { fileSize } from '../lines.js';
import type { ImportBatch, Item, Shopper } from '../schema.js';
import { BatchBuilder, ticker } from './clean.js';
import { checkItemImages } from './images.js';
import type { ImportOptions, Importer } from './importer.js';
import { at, openCsvTable } from './rows.js';
import { ageBand, median, parseNumber, parseTimestamp } from './values.js';

/**
 * The H&M Personalized Fashion Recommendations layout: a folder with
 * transactions*.csv, articles*.csv, optional customers*.csv and
 * images/<first 3 digits>/<article_id>.jpg. The articles file defines the
 * shop: a purchase naming an article it lacks is dropped as unknownId.
 * Identical transaction rows are real repeat purchases, so the event key
 * carries the occurrence number of the row within the file:
 * `hm:<customer>:<article>:<date>:<n>` (n from 0).
 */

interface Layout {
  transactions: string;
  articles: string;
  customers: string | undefined;
  images: string | undefined;
}

function findFile(dir: string, prefix: string): string | undefined {
  const re = new RegExp(`^${prefix}.*\\.csv(\\.gz)?$`, 'i');
  const name = readdirSync(dir).sort().find((f) => re.test(f));
  return name === undefined ? undefined : join(dir, name);
}

function locate(path: string): Layout | undefined {
  if (!existsSync(path) || !statSync(path).isDirectory()) return undefined;
  const transactions = findFile(path, 'transactions');
  const articles = findFile(path, 'articles');
  if (transactions === undefined || articles === undefined) return undefined;
  const images = join(path, 'images');
  return { transactions, articles, customers: findFile(path, 'customers'), images: existsSync(images) ? resolve(images) : undefined };
}

/** Article ids are 10-digit strings with a leading zero; a file that lost the zero (read as a number) gets it back. */
export function articleId(raw: string): string {
  return /^\d{1,9}$/.test(raw) ? raw.padStart(10, '0') : raw;
}

const ARTICLE_ATTRIBUTES: Record<string, string> = {
  productGroup: 'product_group_name',
  colour: 'colour_group_name',
  graphicalAppearance: 'graphical_appearance_name',
  department: 'department_name',
  indexGroup: 'index_group_name',
  garmentGroup: 'garment_group_name',
};

async function readArticles(b: BatchBuilder, layout: Layout): Promise<void> {
  const path = layout.articles;
  const { header, rows } = await openCsvTable(path, ['article_id', 'prod_name', 'product_type_name'], 'an H&M articles file');
  for await (const row of rows) {
    b.read();
    const id = articleId(cell(row.fields, header, 'article_id'));
    if (id === '') {
      b.drop('missingField', at(path, row.line), 'no article_id');
      continue;
    }
    const attributes: Item['attributes'] = {};
    for (const [name, column] of Object.entries(ARTICLE_ATTRIBUTES)) {
      const v = cell(row.fields, header, column);
      if (v !== '') attributes[name] = v;
    }
    const image = layout.images === undefined ? undefined : join(layout.images, id.slice(0, 3), `${id}.jpg`);
    const item: Item = {
      id,
      title: cell(row.fields, header, 'prod_name') || id,
      category: cell(row.fields, header, 'product_type_name') || cell(row.fields, header, 'product_group_name') || 'unknown',
      attributes,
      caption: cell(row.fields, header, 'detail_desc'),
      price: null,
      image: image !== undefined && existsSync(image) ? image : null,
      createdAt: null,
    };
    b.addItem(item, at(path, row.line));
  }
}

async function readCustomers(b: BatchBuilder, path: string): Promise<void> {
  const { header, rows } = await openCsvTable(path, ['customer_id'], 'an H&M customers file');
  for await (const row of rows) {
    b.read();
    const id = cell(row.fields, header, 'customer_id');
    if (id === '') {
      b.drop('missingField', at(path, row.line), 'no customer_id');
      continue;
    }
    const attributes: Shopper['attributes'] = {};
    const age = parseNumber(cell(row.fields, header, 'age'));
    const band = ageBand(age);
    if (age !== undefined && band !== undefined) Object.assign(attributes, { age, ageBand: band });
    const club = cell(row.fields, header, 'club_member_status');
    const news = cell(row.fields, header, 'fashion_news_frequency').toUpperCase();
    const postal = cell(row.fields, header, 'postal_code');
    if (club !== '') attributes.clubMemberStatus = club;
    if (news !== '') attributes.fashionNewsFrequency = news;
    if (postal !== '') attributes.postalCode = postal;
    b.addShopper({ id, attributes, createdAt: null }, at(path, row.line));
  }
}

async function readTransactions(b: BatchBuilder, path: string, opts: ImportOptions): Promise<Map<string, number[]>> {
  const total = fileSize(path);
  const tick = ticker('read transactions', opts.onProgress, opts.signal);
  const required = ['t_dat', 'customer_id', 'article_id', 'price'];
  const { header, rows } = await openCsvTable(path, required, 'an H&M transactions file', {
    onBytes: (d) => tick(d, total),
    signal: opts.signal,
  });
  const seen = new Map<string, number>();
  const prices = new Map<string, number[]>();
  let n = 0;
  for await (const row of rows) {
    if (opts.limit !== undefined && n++ >= opts.limit) break;
    b.read();
    const where = at(path, row.line);
    const [date, customer, rawArticle, priceText] = required.map((c) => cell(row.fields, header, c)) as [string, string, string, string];
    const article = articleId(rawArticle);
    const missing = required.find((c) => cell(row.fields, header, c) === '');
    const ts = parseTimestamp(date);
    const price = parseNumber(priceText);
    if (missing !== undefined) b.drop('missingField', where, `no ${missing}`);
    else if (ts === undefined) b.drop('badValue', where, `t_dat "${date}" is not a date`);
    else if (price === undefined || price < 0) b.drop('badValue', where, `price "${priceText}" is not a non-negative number`);
    else if (!b.hasItem(article)) b.drop('unknownId', where, `article ${article} is not in the articles file`);
    else {
      const identity = `${customer}:${article}:${date}`;
      const occurrence = seen.get(identity) ?? 0;
      seen.set(identity, occurrence + 1);
      const channel = cell(row.fields, header, 'sales_channel_id');
      const event = {
        key: `hm:${identity}:${occurrence}`, shopperId: customer, itemId: article, type: 'purchase' as const,
        ts, value: 1, price, sessionId: `${customer}:${date}${channel === '' ? '' : `:${channel}`}`,
      };
      if (b.addEvent(event, where)) {
        const paid = prices.get(article);
        if (paid === undefined) prices.set(article, [price]);
        else paid.push(price);
      }
    }
  }
  return prices;
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const layout = locate(path);
  if (layout === undefined) {
    fail('MALFORMED_INPUT', `${path} is not an H&M folder (needs transactions*.csv and articles*.csv)`);
  }
  const b = new BatchBuilder(path, 'hm');
  await readArticles(b, layout);
  if (layout.customers !== undefined) await readCustomers(b, layout.customers);
  const prices = await readTransactions(b, layout.transactions, opts);
  // H&M publishes no list price; the median price paid stands in for it.
  for (const [id, paid] of prices) b.getItem(id)!.price = median(paid);
  await checkItemImages(b, [...b.itemList()], (image) => image, opts);
  return b.finish();
}

export const hmImporter: Importer = {
  format: 'hm',
  describe: 'H&M folder: transactions*.csv, articles*.csv, customers*.csv, images/<3 digits>/<article>.jpg',
  detect: (path) => locate(path) !== undefined,
  read,
};
