import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { ProgressFn } from '../core/logger.js';
import type { WorkspacePaths } from '../core/workspace.js';
import { readWorldTastes } from '../data/world/index.js';
import { createApiKey } from '../serve/auth/api-keys.js';
import type { ServeConfigInput } from '../serve/config.js';
import { demoPlugin } from '../serve/plugins/demo.js';
import { webDistOk, webPlugin } from '../serve/plugins/web.js';
import { savedBundleNames } from '../recommend/bundle.js';
import { startServer, type RunningServer } from '../serve/server.js';
import type { Store } from '../store/store.js';
import { DEFAULT_DEMO_WORLD, loadDefaultModels, type WorldKey } from './demo-models.js';
import { defaultModelsDir, webDistDir } from './demo-paths.js';
import { photoWiring } from './demo-photo.js';
import { backfillDemoTraffic, ReplayClock, type TrafficConfig, type TrafficReport } from './demo-traffic.js';
import { prepareDemoWorld, type DemoWorld } from './demo-world.js';

/**
 * The main job: the demo shop. Rebuilds the default world from its seed
 * (deterministic; reused when the workspace has it), imports it into the
 * workspace store, loads the committed default models after checking they
 * were trained on exactly that world, and serves the storefront, the admin
 * dashboard and the API on one port, with demo-only routes for the hidden
 * tastes, past traffic for the dashboard (first start only), photo search
 * (its image index built by a background job on the first start), and a
 * fresh seller key and admin key (the previous demo keys are revoked).
 */
export interface DemoShopOptions {
  ws: WorkspacePaths;
  world?: WorldKey;
  /** The committed default models (default: the package's models/). */
  modelsDir?: string;
  /** The built web UI (default: the package's web/dist). */
  webRoot?: string;
  host?: string;
  port?: number;
  /** Past traffic replayed on the first start (false: none). */
  traffic?: Partial<TrafficConfig> | false;
  config?: ServeConfigInput;
  logger?: boolean | Record<string, unknown>;
  onProgress?: ProgressFn;
}

export interface DemoShop {
  server: RunningServer;
  url: string;
  keys: { seller: string; admin: string };
  world: DemoWorld;
  models: string[];
  /** Whether the web UI is built and served. */
  web: boolean;
  traffic: TrafficReport | undefined;
  photo: 'opened' | 'building' | 'none';
  encoderNote: string;
  /** Seconds per step. */
  timings: Record<string, number>;
  close(): Promise<void>;
}

const KEY_LABEL = 'vitrine shop (demo)';

/** Revokes the keys earlier demo-shop starts printed, then creates this start's seller and admin keys. */
function freshKeys(store: Store): { seller: string; admin: string } {
  const now = new Date().toISOString();
  for (const k of store.listApiKeys()) if (k.label === KEY_LABEL && k.revokedAt === null) store.revokeApiKey(k.id, now);
  return { seller: createApiKey(store, 'seller', KEY_LABEL).key, admin: createApiKey(store, 'admin', KEY_LABEL).key };
}

export async function openDemoShop(opts: DemoShopOptions): Promise<DemoShop> {
  const { ws } = opts;
  const worldKey = opts.world ?? DEFAULT_DEMO_WORLD;
  const report = opts.onProgress ?? (() => undefined);
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = (t - mark) / 1000;
    mark = t;
  };
  const world = await prepareDemoWorld(ws, worldKey, report);
  lap('world');
  const defaults = await loadDefaultModels(opts.modelsDir ?? defaultModelsDir(), worldKey, world.dir);
  // A model the workspace trained itself (a retraining job, `vitrine train`) is served in place of the committed one of that name.
  const own = new Set(savedBundleNames(ws.models));
  const bundles = Object.fromEntries(Object.entries(defaults).filter(([name]) => !own.has(name)));
  const tastes = readWorldTastes(world.dir);
  lap('models');
  const webRoot = opts.webRoot ?? webDistDir();
  // The committed encoder was trained on the default world's catalog: offered only when that world is served.
  const sameWorld = JSON.stringify(worldKey) === JSON.stringify(DEFAULT_DEMO_WORLD);
  const photo = photoWiring(ws, sameWorld ? { fallbackEncoder: join(opts.modelsDir ?? defaultModelsDir(), 'encoder') } : {});
  const clock = new ReplayClock();
  let keys = { seller: '', admin: '' };
  let traffic: TrafficReport | undefined;
  let photoState: DemoShop['photo'] = 'none';
  const beforeListen = async (app: FastifyInstance): Promise<void> => {
    const ctx = app.vitrine;
    keys = freshKeys(ctx.store);
    photoState = await photo.start(ctx, true);
    lap('server');
    if (opts.traffic !== false) traffic = await backfillDemoTraffic(ctx, world.dir, tastes, clock, opts.traffic ?? {});
    lap('traffic');
  };
  const server = await startServer({
    storePath: ws.store,
    modelsDir: ws.models,
    bundles,
    imagesDir: ws.images,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 3000,
    clock: clock.now,
    photoSearch: photo.photoSearch,
    jobKinds: photo.jobKinds,
    plugins: [demoPlugin({ world: worldKey, tastes }), webPlugin({ root: webRoot })],
    ...(opts.config === undefined ? {} : { config: opts.config }),
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    beforeListen,
  });
  lap('listen');
  return {
    server,
    url: server.url,
    keys,
    world,
    models: server.app.vitrine.models.list().map((m) => (own.has(m.name) ? `${m.name} (trained in this workspace)` : m.name)),
    web: webDistOk(webRoot),
    traffic,
    photo: photoState,
    encoderNote: photo.encoderNote,
    timings,
    close: async () => {
      await server.close();
      await photo.photoSearch.close();
    },
  };
}

