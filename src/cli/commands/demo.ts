import { join } from 'node:path';
import type { Command } from 'commander';
import { resolveWorkspace } from '../../core/workspace.js';
import { describeTaste, productAttributesOf, readWorldTastes, trueUtility } from '../../data/world/index.js';
import { describeProtocol, formatTable, parseProtocol, runExperiment, type ExperimentRow } from '../../evaluate/index.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { saveBundle, type ModelBundle } from '../../recommend/bundle.js';
import { recommendForShopper } from '../../recommend/for-shopper.js';
import type { ModelKind } from '../../recommend/recommender.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import type { Item } from '../../data/schema.js';
import { datasetFromStore } from '../dataset-source.js';
import { nonNegativeInt, openWorkspace, positiveInt, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { prepareDemoWorld } from '../demo-world.js';
import { createProgress } from '../progress.js';
import { parseModelList } from './evaluate.js';

interface DemoOptions extends CommonOptions {
  items: number;
  shoppers: number;
  days: number;
  seed: number;
  models: string;
  show: number;
}

const SHOW_MODEL: ModelKind = 'hybrid';

/** `vitrine demo`: the whole loop on the embedded synthetic shop, in well under a minute. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('build the synthetic shop, import it, train and evaluate the recommenders, and show recommendations beside hidden tastes')
    .option('--items <n>', 'products', positiveInt('--items'), 2000)
    .option('--shoppers <n>', 'shoppers', positiveInt('--shoppers'), 1000)
    .option('--days <n>', 'days of events', positiveInt('--days'), 60)
    .option('--seed <n>', 'world seed', nonNegativeInt('--seed'), 7)
    .option('-m, --models <list>', 'models to train and evaluate', 'pop,itemknn,als,bpr,content,hybrid')
    .option('--show <n>', 'shoppers to show recommendations for', nonNegativeInt('--show'), 3)
    .addOption(workspaceOption())
    .addOption(quietOption())
    .action(async (opts: DemoOptions) => {
      const started = performance.now();
      const models = parseModelList(opts.models);
      const ws = openWorkspace(opts);
      const progress = createProgress({ quiet: opts.quiet === true });
      try {
        console.log(`vitrine demo in ${resolveWorkspace(opts.workspace)}`);
        const world = await prepareDemoWorld(ws, opts, progress.report);
        progress.stop();
        console.log(`world: ${world.dir} (${world.reused ? 'reused' : 'generated'}); store: +${world.result.eventsAdded} events (${world.result.eventsSkipped} already stored)`);
        const dataset = datasetFromStore(ws.store);
        const protocol = parseProtocol('leave-last-out');
        const rows = await runExperiment({ dataset, models, protocol, seed: 42, onProgress: progress.report });
        progress.stop();
        console.log('');
        const first = rows[0];
        for (const line of describeProtocol(protocol, {}, first && { trainPairs: first.trainPairs, testPairs: first.testPairs, users: first.users })) console.log(line);
        console.log('');
        console.log(formatTable(rows));
        const bundles = await trainAll(rows, dataset, JSON.parse(world.worldKey) as Record<string, unknown>, ws.models, progress.report);
        progress.stop();
        const shown = bundles.get(SHOW_MODEL) ?? bundles.get(models[models.length - 1]!);
        if (shown !== undefined && opts.show > 0) showShoppers(shown, ws.store, world.dir, opts.show);
        console.log('');
        console.log(`written: world ${world.dir}; store ${ws.store}; models ${ws.models}/{${[...bundles.keys()].join(',')}}`);
        console.log(`next: vitrine recommend --user s00001 --model ${shown?.info.name ?? 'als'} --workspace ${ws.root}`);
        console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        progress.stop();
      }
    });
}

/** Fits every model on all interactions with the hyperparameters just evaluated, and saves it. */
async function trainAll(
  rows: ExperimentRow[],
  dataset: Parameters<typeof trainBundle>[0]['dataset'],
  world: Record<string, unknown>,
  modelsDir: string,
  onProgress: (p: { phase: string; done: number; total: number }) => void,
): Promise<Map<ModelKind, ModelBundle>> {
  const out = new Map<ModelKind, ModelBundle>();
  for (const row of rows) {
    const { bundle } = await trainBundle({ dataset, kind: row.model, config: row.hyperparameters, evaluate: false, world, onProgress });
    bundle.info.evaluation = { protocol: row.protocol, metrics: row.metrics };
    await saveBundle(join(modelsDir, row.model), bundle);
    out.set(row.model, bundle);
  }
  return out;
}

/** Top-5 for a few shoppers, each item with its true-utility percentile among all products for that shopper. */
function showShoppers(bundle: ModelBundle, storePath: string, worldDir: string, count: number): void {
  const tastes = readWorldTastes(worldDir);
  const store = openStore(storePath, { readonly: true });
  try {
    const catalog = allItems(store);
    console.log('');
    console.log(`top-5 by ${bundle.info.name} (seen items removed); "utility" = the product's percentile in the shopper's hidden utility over all ${catalog.length} products`);
    for (const s of store.listShoppers({ limit: count })) {
      const taste = tastes.get(s.id);
      if (taste === undefined) continue;
      const utilities = catalog.map((it) => trueUtility(taste, productAttributesOf(it))).sort((a, b) => a - b);
      const percentile = (u: number): number => (100 * lowerBound(utilities, u)) / utilities.length;
      const rec = recommendForShopper(bundle, store, s.id, { k: 5 });
      console.log('');
      console.log(`${s.id} (${String(s.attributes.ageBand ?? '?')}, ${String(s.attributes.region ?? '?')}), hidden taste: ${describeTaste(taste)}`);
      for (const r of rec.items) {
        const u = r.item === undefined ? Number.NaN : percentile(trueUtility(taste, productAttributesOf(r.item)));
        console.log(`   ${r.itemId}  utility ${u.toFixed(0).padStart(3)}%  ${r.item?.title ?? ''}`);
      }
    }
  } finally {
    store.close();
  }
}

function allItems(store: Store): Item[] {
  const out: Item[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = store.listItems({ offset, limit: 10_000 });
    out.push(...page);
    if (page.length < 10_000) return out;
  }
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
