import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { asObject, readJsonRecords, textField } from '../jsonl.js';
import { fileSize, peekText } from '../lines.js';
import type { ImportBatch, Item, ShopEvent } from '../schema.js';
import { BatchBuilder, ticker } from './clean.js';
import type { ImportOptions, Importer } from './importer.js';
import { at } from './rows.js';
import { attributeName, clip, parseNumber } from './values.js';

/**
 * Amazon review data (McAuley et al.; Ni, Li & McAuley 2019): JSON Lines,
 * plain or gzip, or a JSON array. Each review is a `rating` event keyed
 * `amz:<reviewerID>:<asin>:<unixReviewTime>`; the 2018 files repeat a review
 * once per product variant, and those repeats are dropped as duplicates.
 * Items are derived from asins: the most frequent `style` values (Color: →
 * colour, Size: → size) and up to three review summaries as a short caption.
 * The category comes from the file name (AMAZON_FASHION_5.json.gz → fashion).
 */

const NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;
const CAPTION_SUMMARIES = 3;
const CAPTION_CHARS = 160;

function detect(path: string): boolean {
  if (!NAME.test(path) || !existsSync(path) || statSync(path).isDirectory()) return false;
  const head = peekText(path, 16384);
  return head.includes('"reviewerID"') && head.includes('"asin"');
}

/** "AMAZON_FASHION_5.json.gz" → "fashion"; "Clothing_Shoes_and_Jewelry_5.json" → "clothing shoes and jewelry". */
export function categoryFromFileName(path: string): string {
  const stem = basename(path).replace(NAME, '').replace(/[_-]5(core)?$/i, '').replace(/^(amazon|reviews|meta)[_-]/i, '');
  const words = stem.toLowerCase().split(/[_\s-]+/).filter(Boolean);
  return words.length > 0 ? words.join(' ') : 'product';
}

/** Per-asin tallies while reading, turned into an Item at the end. */
class ItemTally {
  readonly styles = new Map<string, Map<string, number>>();
  readonly summaries: string[] = [];

  add(review: Record<string, unknown>): void {
    const style = asObject(review.style);
    for (const [label, raw] of Object.entries(style ?? {})) {
      const value = typeof raw === 'string' ? raw.trim() : '';
      if (value === '') continue;
      const counts = this.styles.get(attributeName(label)) ?? new Map<string, number>();
      counts.set(value, (counts.get(value) ?? 0) + 1);
      this.styles.set(attributeName(label), counts);
    }
    // "Five Stars" and the like are stock summaries that describe nothing.
    const summary = textField(review, 'summary').replace(/^(one|two|three|four|five) stars?$/i, '') || clip(textField(review, 'reviewText'), 60);
    if (summary !== '' && this.summaries.length < CAPTION_SUMMARIES && !this.summaries.includes(summary)) {
      this.summaries.push(summary);
    }
  }

  toItem(asin: string, category: string): Item {
    const attributes: Item['attributes'] = {};
    for (const [name, counts] of this.styles) attributes[name] = mostFrequent(counts);
    return { id: asin, title: asin, category, attributes, caption: clip(this.summaries.join(' / '), CAPTION_CHARS), price: null, image: null, createdAt: null };
  }
}

/** The most frequent value; ties go to the value first seen. */
function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestN = 0;
  for (const [v, n] of counts) if (n > bestN) [best, bestN] = [v, n];
  return best;
}

/** Validates one review; returns the event or the drop reason and message. */
function toEvent(r: Record<string, unknown>): ShopEvent | { reason: 'missingField' | 'badValue'; why: string } {
  const user = textField(r, 'reviewerID');
  const asin = textField(r, 'asin');
  if (user === '' || asin === '') return { reason: 'missingField', why: user === '' ? 'no reviewerID' : 'no asin' };
  if (r.overall === undefined || r.unixReviewTime === undefined) {
    return { reason: 'missingField', why: r.overall === undefined ? 'no overall rating' : 'no unixReviewTime' };
  }
  const rating = parseNumber(textField(r, 'overall'));
  if (rating === undefined || rating < 1 || rating > 5) return { reason: 'badValue', why: `overall ${JSON.stringify(r.overall)} is not a rating in 1..5` };
  const seconds = parseNumber(textField(r, 'unixReviewTime'));
  if (seconds === undefined || seconds < 0) return { reason: 'badValue', why: `unixReviewTime ${JSON.stringify(r.unixReviewTime)} is not unix seconds` };
  const ts = Math.round(seconds * 1000);
  return { key: `amz:${user}:${asin}:${seconds}`, shopperId: user, itemId: asin, type: 'rating', ts, value: rating, price: null, sessionId: null };
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const b = new BatchBuilder(path, 'amazon');
  const tallies = new Map<string, ItemTally>();
  const total = fileSize(path);
  const tick = ticker('read reviews', opts.onProgress, opts.signal);
  let n = 0;
  for await (const rec of readJsonRecords(path, { signal: opts.signal, onBytes: (done) => tick(done, total) })) {
    if (opts.limit !== undefined && n++ >= opts.limit) break;
    b.read();
    const where = at(path, rec.line);
    const review = asObject(rec.value);
    if (review === undefined) {
      b.drop('badValue', where, rec.error ?? 'not a JSON object');
      continue;
    }
    const event = toEvent(review);
    if (!('key' in event)) {
      b.drop(event.reason, where, event.why);
    } else if (b.addEvent(event, where)) {
      const tally = tallies.get(event.itemId) ?? new ItemTally();
      tally.add(review);
      tallies.set(event.itemId, tally);
    }
  }
  const category = categoryFromFileName(path);
  for (const [asin, tally] of tallies) b.putItem(tally.toItem(asin, category));
  return b.finish();
}

export const amazonImporter: Importer = {
  format: 'amazon',
  describe: 'Amazon reviews: JSON Lines or a JSON array, plain or .gz (reviewerID, asin, overall, unixReviewTime, style, summary)',
  detect,
  read,
};
