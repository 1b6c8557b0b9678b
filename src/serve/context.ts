import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { loadBundle, type ModelBundle } from '../recommend/bundle.js';
import type { Store } from '../store/store.js';
import { KeyVerifier } from './auth/api-keys.js';
import { SessionCodec } from './auth/session-cookie.js';
import { serveConfig, type ServeConfig, type ServeConfigInput } from './config.js';
import { EventIngest } from './events/ingest.js';
import { Experiments } from './experiments/experiments.js';
import { ImpressionLog } from './impressions.js';
import { ItemCatalog } from './item-catalog.js';
import type { JobKind } from './jobs/job-kinds.js';
import { JobRunner } from './jobs/job-runner.js';
import { ProcessExecutor, type JobExecutor } from './jobs/process-executor.js';
import { RetrainScheduler } from './jobs/retrain-scheduler.js';
import { ModelCatalog } from './models/model-catalog.js';
import type { PhotoSearch } from './photo-search.js';
import type { ServePlugin } from './plugin.js';
import { FeedHub } from './realtime/feed-hub.js';
import { FeedService } from './recommend/feed.js';
import { ServiceMetrics } from './service-metrics.js';
import { ShopperStates } from './shopper-state.js';
import { StoreWatch } from './store-watch.js';
import { DirectWriter, type ServeWriter } from './store-io/serve-writer.js';
import type { ServeReader } from './store-io/thread-reader.js';

/**
 * What buildApp(deps) needs (conventions.md #10: the app is built from its
 * dependencies; server.ts opens files and listens). Everything optional has
 * a working default, so a test passes a store and a bundle and gets a
 * complete service.
 */
export interface ServeDeps {
  store: Store;
  /** A folder of bundles to load (`vitrine train` / `vitrine demo` write them); also where training jobs save. */
  modelsDir?: string;
  /** Bundles handed over directly, by name (tests). */
  bundles?: Record<string, ModelBundle>;
  config?: ServeConfigInput;
  /** fastify's logger option: false (default), true, or pino options. */
  logger?: boolean | Record<string, unknown>;
  /** Folder that relative image paths resolve against (the workspace images folder). */
  imagesDir?: string;
  /** "More like this photo": the vision module's search; the route exists only when given. */
  photoSearch?: PhotoSearch;
  /** How jobs run: a worker-thread executor by default (needs a store file and modelsDir); false: no job routes. */
  jobs?: JobExecutor | false;
  /** Job kinds beyond "train" (e.g. the vision module's index build), by name. */
  jobKinds?: Record<string, JobKind>;
  /** Feature plugins beyond the built-in ones (image generation, seller studio, the web UI, ...). */
  plugins?: ServePlugin[];
  clock?: () => number;
  /** Where events, impressions and job records are written: `vitrine serve` gives a thread of its own (ThreadWriter); default: the store, on this thread. */
  writer?: ServeWriter;
  /** Reads for the request path off this thread (ThreadReader in `vitrine serve`); default: none, the store is read here. */
  reader?: ServeReader;
}

/** The services every plugin gets. */
export interface ServeContext {
  config: Readonly<ServeConfig>;
  store: Store;
  items: ItemCatalog;
  models: ModelCatalog;
  shoppers: ShopperStates;
  impressions: ImpressionLog;
  experiments: Experiments;
  feeds: FeedService;
  hub: FeedHub;
  ingest: EventIngest;
  jobs: JobRunner | undefined;
  /** Scheduled retraining of the served model (started by buildApp when config.retrain.everyMs > 0). */
  retrain: RetrainScheduler;
  /** Reloads the catalog when another process writes to the store (started by buildApp). */
  storeWatch: StoreWatch;
  keys: KeyVerifier;
  sessions: SessionCodec;
  metrics: ServiceMetrics;
  /** Where the serving writes and a shopper's first reads run (threads of their own in `vitrine serve`). */
  io: { writer: ServeWriter; reader: ServeReader | undefined };
  photoSearch: PhotoSearch | undefined;
  imagesDir: string | undefined;
  modelsDir: string | undefined;
  clock: () => number;
  log: Logger;
}

/** Builds the services (loads models; starts nothing that keeps the process alive). */
export async function createContext(deps: ServeDeps, log: Logger): Promise<ServeContext> {
  const config = serveConfig(deps.config);
  const clock = deps.clock ?? Date.now;
  const { store } = deps;
  const writer = deps.writer ?? new DirectWriter(store);
  const items = new ItemCatalog(store);
  const models = new ModelCatalog((id) => items.get(id));
  if (deps.modelsDir !== undefined) await models.loadDir(deps.modelsDir);
  for (const [name, bundle] of Object.entries(deps.bundles ?? {})) models.put(name, bundle);
  models.chooseDefault(config.defaultModel);
  const shoppers = new ShopperStates(store, undefined, undefined, deps.reader);
  const impressions = new ImpressionLog(store, log, config.attributionWindowMs, undefined, writer);
  const experiments = new Experiments(store, (name) => models.has(name), clock);
  const feeds = new FeedService({ config, store, models, items, shoppers, impressions, experiments, clock });
  const hub = new FeedHub(feeds, log);
  const ingest = new EventIngest({ store, items, shoppers, impressions, hub, clock, writer });
  const ctx: ServeContext = {
    config,
    store,
    items,
    models,
    shoppers,
    impressions,
    experiments,
    feeds,
    hub,
    ingest,
    jobs: undefined,
    // The job runner is created below, after the context it needs: the scheduler asks for it when it checks.
    retrain: new RetrainScheduler({ config, store, items, models, log, jobs: () => ctx.jobs, ...(deps.imagesDir === undefined ? {} : { imagesDir: deps.imagesDir }) }),
    storeWatch: new StoreWatch({ store, items, models, log, version: () => writer.externalVersion() }, config.catalogReloadMs),
    keys: new KeyVerifier(store),
    sessions: new SessionCodec(config.cookieSecret),
    metrics: new ServiceMetrics(),
    io: { writer, reader: deps.reader },
    photoSearch: deps.photoSearch,
    imagesDir: deps.imagesDir,
    modelsDir: deps.modelsDir,
    clock,
    log,
  };
  ctx.jobs = createJobRunner(deps, ctx, writer);
  return ctx;
}

function createJobRunner(deps: ServeDeps, ctx: ServeContext, writer: ServeWriter): JobRunner | undefined {
  if (deps.jobs === false) return undefined;
  let executor = deps.jobs;
  if (executor === undefined) {
    if (deps.modelsDir === undefined || deps.store.path === ':memory:') return undefined;
    executor = new ProcessExecutor({
      storePath: deps.store.path,
      modelsDir: deps.modelsDir,
      ...(deps.imagesDir === undefined ? {} : { imagesDir: deps.imagesDir }),
      threads: ctx.config.jobThreads,
      priority: ctx.config.jobPriority,
      onOutput: (line, stream) => ctx.log.warn({ job: true, stream }, line),
    });
  }
  return new JobRunner(deps.store, executor, ctx.log, {
    onSucceeded: async (job) => {
      if (job.kind !== 'train' || ctx.modelsDir === undefined) return;
      const name = String(job.params.name);
      const wasActive = ctx.models.activeModelName;
      const bundle = await loadBundle(join(ctx.modelsDir, name));
      // Loading and building the serving columns each block the event loop (~20-40 ms at 10,000 products): let requests through in between.
      await new Promise((r) => setImmediate(r));
      const activate = job.params.activate;
      const serve = activate === true || (activate === null && (wasActive === undefined || wasActive === name));
      // A model that is not served yet builds its columns and scorer on first use, not in the middle of traffic.
      ctx.models.put(name, bundle, serve);
      if (serve) ctx.models.setActive(name);
    },
  }, deps.jobKinds, { writer });
}
