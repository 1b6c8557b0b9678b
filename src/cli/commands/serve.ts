import type { Command } from 'commander';
import { Option } from 'commander';
import { startServer } from '../../serve/server.js';
import { datasetStorePath } from '../dataset-source.js';
import { nonNegativeInt, openWorkspace, workspaceOption, type CommonOptions } from '../common.js';

interface ServeOptions extends CommonOptions {
  store?: string;
  models?: string;
  host: string;
  port: number;
  model?: string;
  rateLimit: number;
  logLevel: string;
}

/**
 * `vitrine serve`: the storefront service (REST API with OpenAPI at /docs,
 * live feeds, jobs, metrics, experiments) on any imported shop and a folder
 * of trained bundles; by default the workspace `vitrine demo` fills. Runs
 * until SIGINT/SIGTERM, then drains: stops accepting, finishes flushing
 * impressions, cancels jobs, closes the store.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the shop: REST API and docs, personalised and live recommendations, jobs, metrics, experiments')
    .option('--store <db>', 'the store (default <workspace>/vitrine.db)')
    .option('--models <dir>', 'folder of trained bundles (default <workspace>/models)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('-p, --port <n>', 'port (0 picks a free one)', nonNegativeInt('--port'), 8080)
    .option('-m, --model <name>', 'model served by default (default: hybrid, else als, else the first)')
    .option('--rate-limit <n>', 'requests per client per minute (0: off)', nonNegativeInt('--rate-limit'), 600)
    .addOption(new Option('--log-level <level>', 'server log level').choices(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'))
    .addOption(workspaceOption())
    .action(async (opts: ServeOptions) => {
      const ws = openWorkspace(opts);
      const storePath = datasetStorePath(opts.store ?? ws.store);
      const server = await startServer({
        storePath,
        modelsDir: opts.models ?? ws.models,
        imagesDir: ws.images,
        host: opts.host,
        port: opts.port,
        logger: { level: opts.logLevel },
        config: { rateLimit: { max: opts.rateLimit }, ...(opts.model === undefined ? {} : { defaultModel: opts.model }) },
      });
      const ctx = server.app.vitrine;
      const model = ctx.models.activeModelName;
      console.log(`vitrine serving ${storePath} at ${server.url}`);
      console.log(`  ${ctx.items.size} products; models: ${ctx.models.list().map((m) => m.name).join(', ') || 'none'}${model ? ` (default ${model})` : ''}`);
      if (model === undefined) console.log('  no trained model: train one (vitrine train als, or POST /api/jobs) to get recommendations');
      console.log(`  API docs: ${server.url}/docs    try: curl '${server.url}/api/recommendations?shopperId=s00001&k=5'`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          console.log('vitrine: stopping');
          void server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
