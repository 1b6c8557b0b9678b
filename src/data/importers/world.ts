import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fail } from '../../core/errors.js';
import { cell } from '../csv.js';
import { asObject, readJsonRecords, textField } from '../jsonl.js';
import { fileSize } from '../lines.js';
import { EVENT_TYPES, type Attributes, type EventType, type ImportBatch, type Item, type ShopEvent } from '../schema.js';
import { BatchBuilder, ticker } from './clean.js';
import { checkItemImages } from './images.js';
import type { ImportOptions, Importer } from './importer.js';
import { at, openCsvTable } from './rows.js';
import { parseNumber } from './values.js';

/**
 * A vitrine world folder (docs/world-format.md): world.json, items.jsonl,
 * shoppers.jsonl, events.csv and images/. Event keys and types are taken as
 * written. Image paths become absolute; a lazily rendered world
 * (`imagesRendered: false`) keeps its image references unchecked, since
 * `vitrine world --render-images` fills them in later. truth/ is never read.
 */

const EVENT_COLUMNS = ['key', 'shopperId', 'itemId', 'type', 'ts', 'value', 'price', 'sessionId'] as const;

interface WorldHeader {
  imagesRendered: boolean;
}

function readHeader(dir: string): WorldHeader | undefined {
  const file = join(dir, 'world.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(file)) return undefined;
  try {
    const meta = asObject(JSON.parse(readFileSync(file, 'utf8')));
    return meta?.format === 'vitrine-world' ? { imagesRendered: meta.imagesRendered !== false } : undefined;
  } catch {
    return undefined;
  }
}

function attributesOf(v: unknown): Attributes {
  const out: Attributes = {};
  for (const [k, x] of Object.entries(asObject(v) ?? {})) {
    if (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) out[k] = x;
  }
  return out;
}

function numberOrNull(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

async function readItems(b: BatchBuilder, dir: string): Promise<void> {
  const path = join(dir, 'items.jsonl');
  for await (const rec of readJsonRecords(path)) {
    b.read();
    const where = at(path, rec.line);
    const o = asObject(rec.value);
    const id = o === undefined ? '' : textField(o, 'id');
    const price = numberOrNull(o?.price);
    if (o === undefined) b.drop('badValue', where, rec.error ?? 'not a JSON object');
    else if (id === '' || textField(o, 'category') === '') b.drop('missingField', where, id === '' ? 'no id' : `item ${id} has no category`);
    else if (price === undefined || (price !== null && price < 0)) b.drop('badValue', where, `price ${JSON.stringify(o.price)} is not a non-negative number`);
    else {
      const image = textField(o, 'image');
      const item: Item = {
        id, title: textField(o, 'title') || id, category: textField(o, 'category'), attributes: attributesOf(o.attributes),
        caption: textField(o, 'caption'), price, image: image === '' ? null : isAbsolute(image) ? image : resolve(dir, image),
        createdAt: numberOrNull(o.createdAt) ?? null,
      };
      b.addItem(item, where);
    }
  }
}

async function readShoppers(b: BatchBuilder, dir: string): Promise<void> {
  const path = join(dir, 'shoppers.jsonl');
  if (!existsSync(path)) return;
  for await (const rec of readJsonRecords(path)) {
    b.read();
    const where = at(path, rec.line);
    const o = asObject(rec.value);
    const id = o === undefined ? '' : textField(o, 'id');
    if (o === undefined) b.drop('badValue', where, rec.error ?? 'not a JSON object');
    else if (id === '') b.drop('missingField', where, 'no id');
    else b.addShopper({ id, attributes: attributesOf(o.attributes), createdAt: numberOrNull(o.createdAt) ?? null }, where);
  }
}

/** One events.csv row as an event, or the reason it is dropped. */
function toEvent(b: BatchBuilder, f: Record<(typeof EVENT_COLUMNS)[number], string>): ShopEvent | [reason: 'missingField' | 'badValue' | 'unknownId', why: string] {
  const missing = (['key', 'shopperId', 'itemId', 'type', 'ts'] as const).find((c) => f[c] === '');
  if (missing !== undefined) return ['missingField', `no ${missing}`];
  if (!(EVENT_TYPES as readonly string[]).includes(f.type)) return ['badValue', `type "${f.type}" is not one of ${EVENT_TYPES.join(', ')}`];
  const ts = parseNumber(f.ts);
  const value = f.value === '' ? 1 : parseNumber(f.value);
  const price = f.price === '' ? null : parseNumber(f.price);
  if (ts === undefined || ts < 0) return ['badValue', `ts "${f.ts}" is not unix milliseconds`];
  if (value === undefined) return ['badValue', `value "${f.value}" is not a number`];
  if (price === undefined || (price !== null && price < 0)) return ['badValue', `price "${f.price}" is not a non-negative number`];
  if (!b.hasItem(f.itemId)) return ['unknownId', `item ${f.itemId} is not in items.jsonl`];
  return { key: f.key, shopperId: f.shopperId, itemId: f.itemId, type: f.type as EventType, ts, value, price, sessionId: f.sessionId || null };
}

async function readEvents(b: BatchBuilder, dir: string, opts: ImportOptions): Promise<void> {
  const path = join(dir, 'events.csv');
  if (!existsSync(path)) return;
  const total = fileSize(path);
  const tick = ticker('read events', opts.onProgress, opts.signal);
  const { header, rows } = await openCsvTable(path, EVENT_COLUMNS, 'a vitrine events file', {
    onBytes: (d) => tick(d, total),
    signal: opts.signal,
  });
  let n = 0;
  for await (const row of rows) {
    if (opts.limit !== undefined && n++ >= opts.limit) break;
    b.read();
    const fields = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, cell(row.fields, header, c)])) as Record<(typeof EVENT_COLUMNS)[number], string>;
    const event = toEvent(b, fields);
    if (Array.isArray(event)) b.drop(event[0], at(path, row.line), event[1]);
    else b.addEvent(event, at(path, row.line));
  }
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const header = readHeader(path);
  if (header === undefined) fail('MALFORMED_INPUT', `${path} is not a vitrine world folder (world.json with format "vitrine-world")`);
  const b = new BatchBuilder(path, 'world');
  await readItems(b, path);
  await readShoppers(b, path);
  await readEvents(b, path, opts);
  if (header.imagesRendered) await checkItemImages(b, [...b.itemList()], (image) => image, opts);
  return b.finish();
}

export const worldImporter: Importer = {
  format: 'world',
  describe: 'a vitrine world folder (world.json, items.jsonl, shoppers.jsonl, events.csv, images/)',
  detect: (path) => readHeader(path) !== undefined,
  read,
};
