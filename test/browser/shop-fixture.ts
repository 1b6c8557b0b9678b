import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { ensureWorkspace, type WorkspacePaths } from '../../src/core/workspace.js';
import { trainDefaultModels, type ModelSpec, type WorldKey } from '../../src/cli/demo-models.js';
import { openDemoShop, type DemoShop } from '../../src/cli/demo-shop.js';
import { openStore } from '../../src/store/index.js';
import { buildImageIndex } from '../../src/vision/build-index.js';
import { ClassicEncoder } from '../../src/vision/classic-encoder.js';
import { DEFAULT_IMAGE_INDEX, imageIndexPath, saveImageIndex } from '../../src/vision/image-index.js';

/**
 * A tiny demo shop for the browser tests, through the same code as
 * `vitrine shop` (src/cli/demo-shop.ts): a small world generated from its
 * seed in a temporary workspace, tiny default models trained for it (so
 * the test never needs the committed ones), the web UI built from the
 * current sources into a temporary folder, and the server on a free port.
 * The image index is built here, in this thread, before the shop starts
 * (the shop then opens it): under vitest the job workers run from the
 * TypeScript sources in an eval'd worker, where usearch cannot find its
 * native build; the compiled `vitrine shop` builds it in its job.
 */
export const TEST_WORLD: WorldKey = { seed: 5, items: 90, shoppers: 40, days: 14 };

const TINY: ModelSpec[] = [
  { name: 'pop', kind: 'pop', config: {} },
  { name: 'als', kind: 'als', config: { factors: 8, iterations: 5 } },
  { name: 'hybrid', kind: 'hybrid', config: { cfConfig: { factors: 8, iterations: 5 } } },
  { name: 'visual-hybrid', kind: 'visual-hybrid', config: { cfConfig: { factors: 8, iterations: 5 }, visualConfig: { factors: 4, visualFactors: 4, epochs: 3 } } },
];

export interface TestShop {
  shop: DemoShop;
  ws: WorkspacePaths;
  url: string;
  close(): Promise<void>;
}

/** Builds web/ with the project's Vite config into `outDir`. */
export async function buildWeb(outDir: string): Promise<void> {
  const configFile = new URL('../../web/vite.config.ts', import.meta.url).pathname;
  await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

export async function startTestShop(): Promise<TestShop> {
  const root = mkdtempSync(join(tmpdir(), 'vitrine-browser-'));
  const ws = ensureWorkspace(join(root, 'ws'));
  const modelsDir = join(root, 'default-models');
  const webRoot = join(root, 'web');
  await Promise.all([trainDefaultModels({ ws, out: modelsDir, world: TEST_WORLD, specs: TINY }), buildWeb(webRoot)]);
  await buildIndex(ws);
  const shop = await openDemoShop({ ws, world: TEST_WORLD, modelsDir, webRoot, port: 0, traffic: { days: 5, visitsPerDay: 30 }, config: { rateLimit: { max: 0 } } });
  if (shop.photo !== 'opened') throw new Error(`the shop did not open the image index (${shop.photo})`);
  return {
    shop,
    ws,
    url: shop.url,
    async close() {
      await shop.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The catalog image index, as `vitrine index build` writes it. */
async function buildIndex(ws: WorkspacePaths): Promise<void> {
  const store = openStore(ws.store, { readonly: true });
  const encoder = new ClassicEncoder();
  try {
    const r = await buildImageIndex(store, encoder, { imagesDir: ws.images });
    await saveImageIndex(imageIndexPath(ws.indexes, DEFAULT_IMAGE_INDEX), r.index, encoder);
  } finally {
    store.close();
  }
}
