import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../core/errors.js';
import type { Item } from '../schema.js';
import type { EventConfig } from './events.js';
import type { ProductConfig } from './products.js';
import type { Taste, TasteConfig } from './taste.js';

/**
 * The world folder's file names and world.json (docs/world-format.md), and
 * the readers for what the writer leaves there.
 */

export const WORLD_FORMAT = 'vitrine-world';
export const WORLD_FORMAT_VERSION = 1;

export const WORLD_FILES = Object.freeze({
  manifest: 'world.json',
  items: 'items.jsonl',
  shoppers: 'shoppers.jsonl',
  events: 'events.csv',
  images: 'images',
  truth: 'truth',
  tastes: 'truth/tastes.jsonl',
  appeal: 'truth/items.jsonl',
});

export const EVENTS_CSV_HEADER = 'key,shopperId,itemId,type,ts,value,price,sessionId';

/** world.json. */
export interface WorldManifest {
  format: typeof WORLD_FORMAT;
  version: number;
  seed: number;
  items: number;
  shoppers: number;
  days: number;
  /** Unix ms of day 0. */
  startTime: number;
  imagesRendered: boolean;
  counts: { items: number; shoppers: number; events: number };
  /** Events per type: view, click, cart, purchase. */
  eventTypes: Record<string, number>;
  vocabulary: Record<string, unknown>;
  /** The generator's knobs, so a world can be rebuilt exactly. */
  generator: { products: ProductConfig; tastes: TasteConfig; events: EventConfig };
}

/** One line of truth/tastes.jsonl. */
export interface TasteRecord extends Taste {
  shopperId: string;
}

function readText(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) {
    fail('FILE_NOT_FOUND', `no ${file} in ${dir}`, { hint: 'is this a folder written by `vitrine world --out`?' });
  }
  return readFileSync(path, 'utf8');
}

/** Parses JSON lines, failing with MALFORMED_INPUT naming the file and line. */
function parseLines<T>(text: string, file: string): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      fail('MALFORMED_INPUT', `${file} line ${i + 1} is not JSON`, { cause: e });
    }
  });
  return out;
}

/** Reads and checks world.json. */
export function readWorldManifest(dir: string): WorldManifest {
  let m: Partial<WorldManifest>;
  try {
    m = JSON.parse(readText(dir, WORLD_FILES.manifest)) as Partial<WorldManifest>;
  } catch (e) {
    if (e instanceof SyntaxError) fail('MALFORMED_INPUT', `${WORLD_FILES.manifest} in ${dir} is not JSON`, { cause: e });
    throw e;
  }
  if (m.format !== WORLD_FORMAT) fail('UNKNOWN_FORMAT', `${dir}/${WORLD_FILES.manifest} is not a vitrine world`);
  if (m.version !== WORLD_FORMAT_VERSION) {
    fail('UNSUPPORTED', `world format version ${String(m.version)} is not supported (expected ${WORLD_FORMAT_VERSION})`);
  }
  return m as WorldManifest;
}

/** The catalog from items.jsonl. */
export function readWorldItems(dir: string): Item[] {
  return parseLines<Item>(readText(dir, WORLD_FILES.items), WORLD_FILES.items);
}

/** The hidden tastes from truth/tastes.jsonl, by shopper id (ground truth: for the demo and for scoring, never for models). */
export function readWorldTastes(dir: string): Map<string, Taste> {
  const records = parseLines<TasteRecord>(readText(dir, WORLD_FILES.tastes), WORLD_FILES.tastes);
  return new Map(
    records.map((r) => {
      const { shopperId, ...taste } = r;
      return [shopperId, taste];
    }),
  );
}
