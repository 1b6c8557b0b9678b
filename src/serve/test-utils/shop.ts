import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { emptyReport } from '../../data/schema.js';
import { generateWorld, renderImagesInto, WORLD_FILES, worldEvents, type World } from '../../data/world/index.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { saveBundle } from '../../recommend/bundle.js';
import type { ModelKind } from '../../recommend/recommender.js';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/store.js';
import { buildApp } from '../app.js';
import { createApiKey } from '../auth/api-keys.js';
import type { ServeDeps } from '../context.js';

/**
 * A tiny shop for the service tests: a 60-product, 30-shopper, 5-day world
 * imported into a temporary SQLite file, small models trained and saved in a
 * temporary models folder, an app built on them, and one key per role. With
 * `images`, the products' images are rendered into an images folder the
 * app is given (for the visual models and photo search).
 */
export interface TinyShop {
  app: FastifyInstance;
  store: Store;
  world: World;
  dir: string;
  modelsDir: string;
  keys: { admin: string; seller: string; writer: string };
  close(): Promise<void>;
}

const SMALL: Partial<Record<ModelKind, Record<string, unknown>>> = {
  als: { factors: 8, iterations: 6 },
  hybrid: { cfConfig: { factors: 8, iterations: 6 } },
  bpr: { factors: 8, epochs: 5 },
};

export async function tinyShop(opts: { models?: ModelKind[]; images?: boolean; deps?: Partial<Omit<ServeDeps, 'store'>> } = {}): Promise<TinyShop> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-serve-'));
  const modelsDir = join(dir, 'models');
  const world = await generateWorld({ items: 60, shoppers: 30, days: 5, seed: 3 });
  const store = openSqliteStore(join(dir, 'vitrine.db'));
  store.importBatch({ items: world.items, shoppers: world.shoppers, events: worldEvents(world), report: emptyReport('test', 'world') });
  const dataset = store.loadDataset();
  for (const kind of opts.models ?? ['als']) {
    const { bundle } = await trainBundle({ dataset, kind, evaluate: false, config: SMALL[kind] ?? {} });
    await saveBundle(join(modelsDir, kind), bundle);
  }
  const imagesDir = join(dir, 'images');
  // Item image paths are "images/<id>.png", relative to the images folder.
  if (opts.images === true) await renderImagesInto(world.items, join(imagesDir, WORLD_FILES.images), world.config.seed);
  const app = await buildApp({ store, modelsDir, config: { rateLimit: { max: 0 } }, ...(opts.images === true ? { imagesDir } : {}), ...opts.deps });
  const keys = { admin: createApiKey(store, 'admin').key, seller: createApiKey(store, 'seller').key, writer: createApiKey(store, 'writer').key };
  return {
    app,
    store,
    world,
    dir,
    modelsDir,
    keys,
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fetch that goes through app.inject (no socket), for the typed client in tests. */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(typeof input === 'string' && input.startsWith('/') ? `http://localhost${input}` : input, init);
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    const body = req.body === null ? undefined : Buffer.from(await req.arrayBuffer());
    const res = await app.inject({ method: req.method as 'GET', url: url.pathname + url.search, headers, ...(body === undefined ? {} : { payload: body }) });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers: out });
  }) as typeof fetch;
}
