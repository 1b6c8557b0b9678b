import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { WorkspacePaths } from '../core/workspace.js';
import { importPath } from '../data/importers/index.js';
import { generateWorld, readWorldManifest, writeWorld, type WorldConfig } from '../data/world/index.js';
import type { ImportResult } from '../store/store.js';
import { openStore } from '../store/index.js';

export interface DemoWorld {
  dir: string;
  reused: boolean;
  result: ImportResult;
  worldKey: string;
}

/** The key the demo shop's store records as its world ("demoWorld" meta). */
export function demoWorldKey(config: Pick<WorldConfig, 'items' | 'shoppers' | 'days' | 'seed'>): string {
  return JSON.stringify({ seed: config.seed, items: config.items, shoppers: config.shoppers, days: config.days });
}

/** The world folder for a config, reused when an identical one was written before. */
async function ensureWorld(ws: WorkspacePaths, config: Pick<WorldConfig, 'items' | 'shoppers' | 'days' | 'seed'>, onProgress: ProgressFn) {
  const dir = join(ws.worlds, `world-${config.seed}-${config.items}x${config.shoppers}x${config.days}`);
  if (existsSync(join(dir, 'world.json'))) {
    const m = readWorldManifest(dir);
    if (m.seed === config.seed && m.items === config.items && m.shoppers === config.shoppers && m.days === config.days && m.imagesRendered) {
      return { dir, reused: true };
    }
  }
  const world = await generateWorld(config, { onProgress });
  await writeWorld(world, dir, { renderImages: true, onProgress });
  return { dir, reused: false };
}

/**
 * Builds (or reuses) the demo world and imports it into the workspace store.
 * Refuses a store that already holds another shop, so the demo never mixes
 * its synthetic data into a real one.
 */
export async function prepareDemoWorld(
  ws: WorkspacePaths,
  config: Pick<WorldConfig, 'items' | 'shoppers' | 'days' | 'seed'>,
  onProgress: ProgressFn,
): Promise<DemoWorld> {
  const worldKey = demoWorldKey(config);
  const store = openStore(ws.store);
  try {
    const existing = store.getMeta('demoWorld');
    if ((existing === undefined && store.counts().events > 0) || (existing !== undefined && existing !== worldKey)) {
      fail('CONFLICT', `the store ${ws.store} already holds another shop (${existing ?? 'imported data'})`, {
        hint: 'run the demo in a fresh workspace: vitrine demo --workspace <new folder>',
      });
    }
    const { dir, reused } = await ensureWorld(ws, config, onProgress);
    const batch = await importPath(dir, { format: 'world', imagesDir: ws.images, onProgress });
    const result = store.importBatch(batch);
    store.setMeta('demoWorld', worldKey);
    return { dir, reused, result, worldKey };
  } finally {
    store.close();
  }
}
