import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fail, throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { renderImagesInto } from './images.js';
import { vocabularyJson } from './vocabulary.js';
import { EVENTS_CSV_HEADER, WORLD_FILES, WORLD_FORMAT, WORLD_FORMAT_VERSION, type WorldManifest } from './world-files.js';
import { EVENT_TYPES } from '../schema.js';
import { eventKey, eventTypeCounts, type World } from './world.js';

export interface WriteWorldOptions {
  /** Render the product images now (default true); otherwise renderWorldImages(dir) does it later. */
  renderImages?: boolean;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

const CSV_CHUNK = 50_000;

/** An existing `dir` may be replaced only if it is an empty folder or a world. */
function checkTarget(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) fail('INVALID_ARGUMENT', `${dir} exists and is not a folder`);
  if (readdirSync(dir).length > 0 && !existsSync(join(dir, WORLD_FILES.manifest))) {
    fail('INVALID_ARGUMENT', `${dir} is not empty and holds no ${WORLD_FILES.manifest}; refusing to replace it`, {
      hint: 'choose a new or empty folder, or the folder of an earlier world',
    });
  }
}

/** Renames `tmp` to `dir`, replacing an older `dir` only after the new one is complete. */
function swapInto(tmp: string, dir: string): void {
  if (!existsSync(dir)) {
    renameSync(tmp, dir);
    return;
  }
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  renameSync(dir, old);
  try {
    renameSync(tmp, dir);
  } catch (e) {
    renameSync(old, dir);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * events.csv in chunks, yielding between them so progress can be drawn. Rows
 * are formatted straight from the columns (the same fields worldEvent gives)
 * so a million events do not become a million objects.
 */
async function writeEventsCsv(world: World, path: string, opts: WriteWorldOptions): Promise<void> {
  const e = world.events;
  const shopperIds = world.shoppers.map((s) => csvField(s.id));
  const itemIds = world.items.map((it) => csvField(it.id));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${EVENTS_CSV_HEADER}\n`);
    for (let start = 0; start < e.n; start += CSV_CHUNK) {
      const end = Math.min(e.n, start + CSV_CHUNK);
      let chunk = '';
      for (let row = start; row < end; row++) {
        const shopper = shopperIds[e.shopper[row]!]!;
        const type = EVENT_TYPES[e.type[row]!]!;
        chunk += `${eventKey(world.config.seed, row)},${shopper},${itemIds[e.item[row]!]!},${type},${e.ts[row]!},1,${e.price[row]!.toFixed(2)},${shopper}-${e.session[row]!}\n`;
      }
      writeSync(fd, chunk);
      opts.onProgress?.({ phase: 'write events', done: end, total: e.n });
      await new Promise<void>((r) => setImmediate(r));
      throwIfAborted(opts.signal);
    }
  } finally {
    closeSync(fd);
  }
}

function manifestOf(world: World, imagesRendered: boolean): WorldManifest {
  const c = world.config;
  return {
    format: WORLD_FORMAT,
    version: WORLD_FORMAT_VERSION,
    seed: c.seed,
    items: c.items,
    shoppers: c.shoppers,
    days: c.days,
    startTime: c.startTime,
    imagesRendered,
    counts: { items: world.items.length, shoppers: world.shoppers.length, events: world.events.n },
    eventTypes: eventTypeCounts(world.events),
    vocabulary: vocabularyJson(),
    generator: { products: c.products, tastes: c.tastes, events: c.events },
  };
}

/**
 * Writes the world folder (docs/world-format.md) at `dir`. The files are
 * written into a temporary sibling folder that replaces `dir` only once
 * complete, so a failure or an abort never leaves a half world where a good
 * one was. Refuses to replace a non-empty folder that is not a world.
 * Returns the manifest written as world.json.
 */
export async function writeWorld(world: World, dir: string, opts: WriteWorldOptions = {}): Promise<WorldManifest> {
  const target = resolve(dir);
  checkTarget(target);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(join(tmp, WORLD_FILES.truth), { recursive: true });
  mkdirSync(join(tmp, WORLD_FILES.images), { recursive: true });
  try {
    const renderImages = opts.renderImages ?? true;
    const manifest = manifestOf(world, renderImages);
    writeFileSync(join(tmp, WORLD_FILES.items), jsonl(world.items));
    writeFileSync(join(tmp, WORLD_FILES.shoppers), jsonl(world.shoppers));
    writeFileSync(join(tmp, WORLD_FILES.tastes), jsonl(world.shoppers.map((s, i) => ({ shopperId: s.id, ...world.tastes[i] }))));
    writeFileSync(join(tmp, WORLD_FILES.appeal), jsonl(world.items.map((it, i) => ({ itemId: it.id, appeal: world.appeal[i] }))));
    await writeEventsCsv(world, join(tmp, WORLD_FILES.events), opts);
    if (renderImages) {
      const renderOpts = { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
      await renderImagesInto(world.items, join(tmp, WORLD_FILES.images), world.config.seed, renderOpts);
    }
    writeFileSync(join(tmp, WORLD_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    swapInto(tmp, target);
    return manifest;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
