import type { Command } from 'commander';
import { Option } from 'commander';
import { JOB_PRIORITIES, type JobPriority } from '../../serve/jobs/job-priority.js';
import { webDistOk, webPlugin } from '../../serve/plugins/web.js';
import { startServer, type RunningServer } from '../../serve/server.js';
import { datasetStorePath } from '../dataset-source.js';
import { nonNegativeInt, openWorkspace, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { DEFAULT_DEMO_WORLD, trainDefaultModels } from '../demo-models.js';
import { defaultModelsDir, webDistDir } from '../demo-paths.js';
import { photoWiring } from '../demo-photo.js';
import { openDemoShop } from '../demo-shop.js';
import { createProgress } from '../progress.js';

interface ServeOptions extends CommonOptions {
  store?: string;
  models?: string;
  host: string;
  port: number;
  model?: string;
  rateLimit: number;
  jobPriority: JobPriority;
  logLevel: string;
  retrainEvery: number;
  retrainMinEvents: number;
  candidateCache: boolean;
}

/** --retrain-every and --retrain-min-events (serve/jobs/retrain-scheduler.ts), for serve and shop. */
const RETRAIN_EVERY = ['--retrain-every <minutes>', 'retrain the served model in the background when the shop has moved on (new events or products), checking this often; 0: never'] as const;
const RETRAIN_MIN = ['--retrain-min-events <n>', 'new events since the last training that make a retraining worth it (new products always do)'] as const;
const retrainConfig = (o: { retrainEvery: number; retrainMinEvents: number }): { everyMs: number; minNewEvents: number } => ({ everyMs: o.retrainEvery * 60_000, minNewEvents: o.retrainMinEvents });

/**
 * `vitrine serve`: the storefront service (REST API with OpenAPI at /docs,
 * live feeds, jobs, metrics, experiments, the web UI when it is built, photo
 * search when the workspace has an image index) on any imported shop and a
 * folder of trained bundles; by default the workspace `vitrine demo` fills.
 * Runs until SIGINT/SIGTERM, then drains: stops accepting, finishes flushing
 * impressions, cancels jobs, closes the store. Also registers `vitrine shop`
 * (the demo shop, below).
 */
export function registerServe(program: Command): void {
  registerShop(program);
  program
    .command('serve')
    .description('serve the shop: REST API and docs, personalised and live recommendations, jobs, metrics, experiments')
    .option('--store <db>', 'the store (default <workspace>/vitrine.db)')
    .option('--models <dir>', 'folder of trained bundles (default <workspace>/models)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('-p, --port <n>', 'port (0 picks a free one)', nonNegativeInt('--port'), 8080)
    .option('-m, --model <name>', 'model served by default (default: hybrid, else als, else the first)')
    .option('--rate-limit <n>', 'requests per client per minute (0: off)', nonNegativeInt('--rate-limit'), 600)
    .addOption(new Option('--job-priority <priority>', 'CPU priority of background jobs: idle (only CPU the server leaves unused), low (nice 19), normal').choices([...JOB_PRIORITIES]).default('idle'))
    .addOption(new Option('--log-level <level>', 'server log level').choices(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'))
    .option(...RETRAIN_EVERY, nonNegativeInt('--retrain-every'), 0)
    .option(...RETRAIN_MIN, nonNegativeInt('--retrain-min-events'), 1000)
    .option('--no-candidate-cache', "score the whole catalog on every request (by default a shopper's scored candidates are kept until their history, the model or the catalog changes)")
    .addOption(workspaceOption())
    .action(async (opts: ServeOptions) => {
      const ws = openWorkspace(opts);
      const storePath = datasetStorePath(opts.store ?? ws.store);
      const photo = photoWiring(ws);
      const webRoot = webDistDir();
      const server = await startServer({
        storePath,
        modelsDir: opts.models ?? ws.models,
        imagesDir: ws.images,
        host: opts.host,
        port: opts.port,
        logger: { level: opts.logLevel },
        config: { rateLimit: { max: opts.rateLimit }, jobPriority: opts.jobPriority, retrain: retrainConfig(opts), candidateCache: opts.candidateCache, ...(opts.model === undefined ? {} : { defaultModel: opts.model }) },
        photoSearch: photo.photoSearch,
        jobKinds: photo.jobKinds,
        plugins: [webPlugin({ root: webRoot })],
        beforeListen: async (app) => void (await photo.start(app.vitrine, false)),
      });
      const ctx = server.app.vitrine;
      const model = ctx.models.activeModelName;
      console.log(`vitrine serving ${storePath} at ${server.url}`);
      console.log(`  ${ctx.items.size} products; models: ${ctx.models.list().map((m) => m.name).join(', ') || 'none'}${model ? ` (default ${model})` : ''}`);
      if (model === undefined) console.log('  no trained model: train one (vitrine train als, or POST /api/jobs) to get recommendations');
      console.log(`  web UI: ${webDistOk(webRoot) ? `${server.url}/ (storefront), ${server.url}/admin (dashboard), ${server.url}/seller (seller pages)` : `not built (npm run build:web)`}; photo search: ${photo.photoSearch.info().message}`);
      console.log(`  API docs: ${server.url}/docs    try: curl '${server.url}/api/recommendations?shopperId=s00001&k=5'`);
      await untilSignal(server);
    });
}

/** Runs until SIGINT/SIGTERM, then closes the server. */
function untilSignal(server: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log('vitrine: stopping');
      void server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

interface ShopOptions extends CommonOptions {
  host: string;
  port: number;
  models?: string;
  traffic: boolean;
  rateLimit: number;
  logLevel: string;
  trainDefaults?: boolean;
  out?: string;
  retrainEvery: number;
  retrainMinEvents: number;
}

/** "http://127.0.0.1:3000" -> "http://localhost:3000" (what a visitor types). */
function friendlyUrl(server: RunningServer): string {
  return server.url.replace('//127.0.0.1:', '//localhost:');
}

/**
 * `vitrine shop`: the main job. Serves the demo shop (the default world,
 * rebuilt from its seed, with the committed default models) at
 * http://localhost:3000 and prints the URL with a seller key and an admin
 * key. `--train-defaults` regenerates the committed models instead.
 */
function registerShop(program: Command): void {
  program
    .command('shop')
    .description('serve the demo shop: storefront, admin dashboard and API over the default world and the committed models (the main job)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('-p, --port <n>', 'port (0 picks a free one)', nonNegativeInt('--port'), 3000)
    .option('--models <dir>', 'default models to serve (default: the models/ folder of the package)')
    .option('--no-traffic', 'do not replay past traffic for the dashboard on the first start')
    .option('--rate-limit <n>', 'requests per client per minute (0: off)', nonNegativeInt('--rate-limit'), 600)
    .addOption(new Option('--log-level <level>', 'server log level').choices(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'))
    .option('--train-defaults', 'instead of serving: train the default models on the default world and write them to --out')
    .option('--out <dir>', 'where --train-defaults writes (default: the models/ folder of the package)')
    .option(...RETRAIN_EVERY, nonNegativeInt('--retrain-every'), 0)
    .option(...RETRAIN_MIN, nonNegativeInt('--retrain-min-events'), 1000)
    .addOption(workspaceOption())
    .addOption(quietOption())
    .action(async (opts: ShopOptions) => {
      const started = performance.now();
      const ws = openWorkspace(opts);
      const progress = createProgress({ quiet: opts.quiet === true });
      try {
        if (opts.trainDefaults) {
          const out = opts.out ?? defaultModelsDir();
          const m = await trainDefaultModels({ ws, out, onProgress: progress.report });
          progress.stop();
          console.log(`default models for the world (seed ${m.world.seed}, ${m.world.items} products, ${m.world.shoppers} shoppers, ${m.world.days} days) written to ${out}:`);
          for (const b of m.bundles) console.log(`  ${b.name.padEnd(14)} ndcg@10 ${(b.metrics['ndcg@10'] ?? Number.NaN).toFixed(4)}  hr@10 ${(b.metrics['hr@10'] ?? Number.NaN).toFixed(4)}`);
          console.log(`world fingerprint ${m.worldFingerprint}; done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
          return;
        }
        const shop = await openDemoShop({
          ws,
          host: opts.host,
          port: opts.port,
          ...(opts.models === undefined ? {} : { modelsDir: opts.models }),
          traffic: opts.traffic ? {} : false,
          config: { rateLimit: { max: opts.rateLimit }, retrain: retrainConfig(opts) },
          logger: { level: opts.logLevel },
          onProgress: progress.report,
        });
        progress.stop();
        const url = friendlyUrl(shop.server);
        const w = DEFAULT_DEMO_WORLD;
        console.log(`vitrine demo shop ready at ${url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        console.log(`  storefront  ${url}/            admin dashboard  ${url}/admin            seller pages  ${url}/seller${shop.web ? '' : '   (web UI not built: run npm run build:web)'}`);
        console.log(`  seller key  ${shop.keys.seller}`);
        console.log(`  admin key   ${shop.keys.admin}`);
        console.log(`  world: seed ${w.seed}, ${w.items} products, ${w.shoppers} shoppers (${shop.world.reused ? 'reused' : 'generated'} in ${shop.world.dir}); models: ${shop.models.join(', ')}`);
        if (shop.traffic !== undefined) console.log(`  replayed ${shop.traffic.visits} past visits (${shop.traffic.events} events) for the dashboard in ${shop.traffic.seconds.toFixed(1)} s`);
        console.log(`  photo search: ${shop.photo === 'building' ? `building the image index in the background (${shop.encoderNote})` : shop.photo === 'opened' ? 'ready' : 'off'}`);
        console.log(`  API docs ${url}/docs; stop with Ctrl-C`);
        await untilSignal(shop);
      } finally {
        progress.stop();
      }
    });
}
