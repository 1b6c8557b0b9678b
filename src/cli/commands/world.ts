import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { generateWorld, renderWorldImages, writeWorld } from '../../data/world/index.js';
import { jsonOption, nonNegativeInt, openWorkspace, positiveInt, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { createProgress } from '../progress.js';

interface WorldOptions extends CommonOptions {
  items?: number;
  shoppers?: number;
  days?: number;
  seed?: number;
  out?: string;
  lazyImages?: boolean;
  renderImages?: string;
}

/** `vitrine world`: writes a deterministic synthetic shop (docs/world-format.md). */
export function registerWorld(program: Command): void {
  program
    .command('world')
    .description('generate a synthetic shop: products with images and captions, shoppers with hidden tastes, event logs')
    .option('--items <n>', 'number of products (default 2000)', positiveInt('--items'))
    .option('--shoppers <n>', 'number of shoppers (default 1000)', positiveInt('--shoppers'))
    .option('--days <n>', 'days of simulated events (default 60)', positiveInt('--days'))
    .option('--seed <n>', 'random seed; the same seed gives the same shop (default 7)', nonNegativeInt('--seed'))
    .option('-o, --out <dir>', 'output folder (default <workspace>/worlds/world-<seed>)')
    .option('--lazy-images', 'do not render product images now (render later with --render-images <dir>)')
    .addOption(new Option('--render-images <dir>', 'render the missing images of an existing world folder and exit').conflicts(['items', 'shoppers', 'days', 'seed', 'out']))
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (opts: WorldOptions) => {
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        if (opts.renderImages !== undefined) {
          const n = await renderWorldImages(opts.renderImages, { onProgress: progress.report });
          progress.stop();
          if (opts.json) printJson({ rendered: n, dir: opts.renderImages });
          else console.log(`rendered ${n} images in ${opts.renderImages}`);
          return;
        }
        const ws = openWorkspace(opts);
        const started = performance.now();
        const world = await generateWorld(
          { items: opts.items, shoppers: opts.shoppers, days: opts.days, seed: opts.seed },
          { onProgress: progress.report },
        );
        const out = opts.out ?? join(ws.worlds, `world-${world.config.seed}`);
        const manifest = await writeWorld(world, out, { renderImages: opts.lazyImages !== true, onProgress: progress.report });
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        if (opts.json) printJson({ dir: out, seconds, ...manifest });
        else {
          console.log(`wrote a world of ${manifest.counts.items} products, ${manifest.counts.shoppers} shoppers and ${manifest.counts.events} events to ${out} in ${seconds.toFixed(1)} s`);
          console.log(`import it with: vitrine import ${out}`);
        }
      } finally {
        progress.stop();
      }
    });
}
