import type { Command } from 'commander';
import { recommendForShopper } from '../../recommend/for-shopper.js';
import { openStore } from '../../store/index.js';
import { datasetStorePath } from '../dataset-source.js';
import { loadWorkspaceModel } from '../workspace-model.js';
import { jsonOption, openWorkspace, positiveInt, printJson, workspaceOption, type CommonOptions } from '../common.js';
import { isAvailable } from '../../data/schema.js';

interface RecommendOptions extends CommonOptions {
  user: string;
  k: number;
  model: string;
  store?: string;
}

/** `vitrine recommend --user <id>`: top-k for a shopper from a trained model, seen items removed. */
export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('recommend products for a shopper from a trained model (items they already interacted with are left out)')
    .requiredOption('-u, --user <id>', 'shopper id')
    .option('-k, --k <n>', 'how many products', positiveInt('--k'), 10)
    .option('-m, --model <name>', 'trained model under <workspace>/models', 'als')
    .option('--store <db>', 'store with the shopper\'s events (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action(async (opts: RecommendOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(datasetStorePath(opts.store ?? ws.store), { readonly: true });
      try {
        const bundle = await loadWorkspaceModel(ws, opts.model, store);
        // Products the catalog marks unavailable are left out, as the service does.
        const available = (idx: number): boolean => {
          const it = store.getItem(bundle.items.idOf(idx));
          return it === undefined || isAvailable(it);
        };
        const rec = recommendForShopper(bundle, store, opts.user, { k: opts.k, filter: available });
        if (opts.json) {
          printJson({
            shopperId: rec.shopperId,
            model: opts.model,
            source: rec.source,
            items: rec.items.map((r) => ({ itemId: r.itemId, score: r.score, title: r.item?.title ?? null, category: r.item?.category ?? null })),
          });
          return;
        }
        const how = { user: 'from the model', history: 'folded in from stored events (not in the model)', fallback: 'popularity (no usable history)' }[rec.source];
        console.log(`top ${rec.items.length} for shopper ${rec.shopperId} by ${opts.model}, ${how}:`);
        rec.items.forEach((r, i) => {
          const label = r.item ? `${r.item.title} [${r.item.category}]` : '';
          console.log(`${String(i + 1).padStart(3)}. ${r.itemId.padEnd(12)} ${r.score.toFixed(4).padStart(9)}  ${label}`);
        });
      } finally {
        store.close();
      }
    });
}
