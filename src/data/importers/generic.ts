import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fail } from '../../core/errors.js';
import { cell } from '../csv.js';
import { asObject, readJsonRecords, textField } from '../jsonl.js';
import { fileSize } from '../lines.js';
import { EVENT_TYPES, type EventType, type ImportBatch, type ShopEvent } from '../schema.js';
import { BatchBuilder, ticker } from './clean.js';
import type { ColumnMapping, ImportOptions, Importer } from './importer.js';
import { mappedColumns } from './mapping.js';
import { at, openCsvTable } from './rows.js';
import { parseNumber, parseTimestamp } from './values.js';

/**
 * Any CSV/TSV or JSON Lines file of events, with a ColumnMapping naming the
 * columns. Without a type column, an event is a `rating` when a value column
 * is mapped, else a `purchase`. Keys: `gen:<user>:<item>:<type>:<ts>` (the
 * same row twice is a duplicate); without a ts column, ts is the row number
 * and the key ends with the occurrence number of that (user, item, type), so
 * repeats are kept.
 */

const CSV_NAME = /\.(csv|tsv|txt)(\.gz)?$/i;
const JSONL_NAME = /\.(jsonl|ndjson|json)(\.gz)?$/i;

type Row = Record<string, string>;

function detect(path: string): boolean {
  return existsSync(path) && statSync(path).isFile() && (CSV_NAME.test(path) || JSONL_NAME.test(path));
}

async function* csvRows(path: string, m: ColumnMapping, onBytes: (d: number) => void, signal?: AbortSignal): AsyncGenerator<{ row: Row; line: number }> {
  const delimiter = /\.tsv(\.gz)?$/i.test(path) ? '\t' : ',';
  const { header, rows } = await openCsvTable(path, [], 'a CSV file', { delimiter, onBytes, signal });
  const missing = mappedColumns(m).filter((c) => !header.has(c));
  if (missing.length > 0) {
    fail('INVALID_ARGUMENT', `${basename(path)} has no column(s) ${missing.join(', ')} named by the mapping`, {
      hint: `its columns are: ${[...header.keys()].join(', ')}`,
    });
  }
  const cols = mappedColumns(m);
  for await (const r of rows) yield { row: Object.fromEntries(cols.map((c) => [c, cell(r.fields, header, c)])), line: r.line };
}

async function* jsonRows(path: string, m: ColumnMapping, onBytes: (d: number) => void, signal?: AbortSignal): AsyncGenerator<{ row: Row | undefined; line: number; error?: string }> {
  const cols = mappedColumns(m);
  for await (const rec of readJsonRecords(path, { onBytes, signal })) {
    const o = asObject(rec.value);
    yield o === undefined
      ? { row: undefined, line: rec.line, error: rec.error ?? 'not a JSON object' }
      : { row: Object.fromEntries(cols.map((c) => [c, textField(o, c)])), line: rec.line };
  }
}

type Outcome = ShopEvent | [reason: 'missingField' | 'badValue', why: string];

/** One mapped row as an event; `seq` is the row number and `repeat` counts earlier (user, item, type) rows. */
function toEvent(r: Row, m: ColumnMapping, seq: number, repeat: (id: string) => number): Outcome {
  const get = (col: string | undefined): string => (col === undefined ? '' : (r[col] ?? ''));
  const user = get(m.user);
  const item = get(m.item);
  if (user === '' || item === '') return ['missingField', `no ${user === '' ? m.user : m.item}`];
  const type = m.type !== undefined ? get(m.type).toLowerCase() : m.value !== undefined ? 'rating' : 'purchase';
  if (!(EVENT_TYPES as readonly string[]).includes(type)) return ['badValue', `type "${type}" is not one of ${EVENT_TYPES.join(', ')}`];
  if (m.ts !== undefined && get(m.ts) === '') return ['missingField', `no ${m.ts}`];
  const ts = m.ts === undefined ? seq : parseTimestamp(get(m.ts));
  if (ts === undefined) return ['badValue', `${m.ts} "${get(m.ts)}" is not unix seconds, unix ms or an ISO date`];
  if (m.value !== undefined && get(m.value) === '') return ['missingField', `no ${m.value}`];
  const value = m.value === undefined ? 1 : parseNumber(get(m.value));
  if (value === undefined) return ['badValue', `${m.value} "${get(m.value)}" is not a number`];
  const price = get(m.price) === '' ? null : parseNumber(get(m.price));
  if (price === undefined || (price !== null && price < 0)) return ['badValue', `${m.price} "${get(m.price)}" is not a non-negative number`];
  const id = `${user}:${item}:${type}`;
  const key = m.ts === undefined ? `gen:${id}:n${repeat(id)}` : `gen:${id}:${ts}`;
  return { key, shopperId: user, itemId: item, type: type as EventType, ts, value, price, sessionId: get(m.session) || null };
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const m = opts.mapping;
  if (m === undefined) {
    fail('INVALID_ARGUMENT', 'the generic format needs a column mapping', { hint: 'pass --map user=<column>,item=<column>[,ts=...,type=...,value=...,price=...,session=...]' });
  }
  const total = fileSize(path);
  const tick = ticker('read rows', opts.onProgress, opts.signal);
  const onBytes = (d: number): void => tick(d, total);
  const rows = JSONL_NAME.test(path) ? jsonRows(path, m, onBytes, opts.signal) : csvRows(path, m, onBytes, opts.signal);
  const b = new BatchBuilder(path, 'generic');
  const counts = new Map<string, number>();
  const repeat = (id: string): number => {
    const n = counts.get(id) ?? 0;
    counts.set(id, n + 1);
    return n;
  };
  let seq = 0;
  for await (const { row, line, error } of rows as AsyncGenerator<{ row: Row | undefined; line: number; error?: string }>) {
    if (opts.limit !== undefined && seq >= opts.limit) break;
    seq++;
    b.read();
    const outcome: Outcome = row === undefined ? ['badValue', error ?? 'unreadable row'] : toEvent(row, m, seq, repeat);
    if (Array.isArray(outcome)) b.drop(outcome[0], at(path, line), outcome[1]);
    else b.addEvent(outcome, at(path, line));
  }
  return b.finish();
}

export const genericImporter: Importer = {
  format: 'generic',
  describe: 'any CSV/TSV or JSON Lines file of events, with --map user=<col>,item=<col>[,ts,type,value,price,session]',
  detect,
  read,
};
