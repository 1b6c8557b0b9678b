import type { Command } from 'commander';
import { computeShopperFeatures, type ShopperFeatures } from '../../data/features.js';
import { openStore } from '../../store/index.js';
import { datasetFromStore, datasetStorePath } from '../dataset-source.js';
import { jsonOption, nonNegativeInt, openWorkspace, positiveInt, printJson, workspaceOption, type CommonOptions } from '../common.js';

interface ShoppersOptions extends CommonOptions {
  limit: number;
  offset: number;
  store?: string;
  features?: boolean;
}

/** One line of derived features (paper 000, section 3.1): spend, favourite categories, active hours, recency, frequency. */
function featureLine(f: ShopperFeatures): string {
  const spend = Number.isNaN(f.avgSpend) ? '-' : f.avgSpend.toFixed(2);
  const recency = Number.isNaN(f.recencyDays) ? '-' : f.recencyDays.toFixed(1);
  return `avg spend ${spend}; likes ${f.favouriteCategories.join('/') || '-'}; active at ${f.activeHours.map((h) => `${h}h`).join(',') || '-'} UTC; last seen ${recency} d before the newest event; ${f.frequency.toFixed(1)} events per active day`;
}

/** `vitrine shoppers`: lists shoppers of the store with their attributes, event counts and, optionally, derived features. */
export function registerShoppers(program: Command): void {
  program
    .command('shoppers')
    .description('list shoppers in the store, with their attributes and number of events')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 10)
    .option('--offset <n>', 'skip the first n', nonNegativeInt('--offset'), 0)
    .option('--features', 'add derived features: average spend, favourite categories, active hours, recency, frequency')
    .option('--store <db>', 'store (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action((opts: ShoppersOptions) => {
      const ws = openWorkspace(opts);
      const path = datasetStorePath(opts.store ?? ws.store);
      const dataset = opts.features === true ? datasetFromStore(path) : undefined;
      const features = dataset === undefined ? undefined : computeShopperFeatures(dataset);
      const store = openStore(path, { readonly: true });
      try {
        const rows = store.listShoppers({ limit: opts.limit, offset: opts.offset }).map((s) => {
          const idx = dataset?.users.get(s.id);
          return { shopperId: s.id, attributes: s.attributes, events: store.eventsOf(s.id).length, features: idx === undefined ? undefined : features?.[idx] };
        });
        if (opts.json) {
          printJson(rows);
          return;
        }
        for (const r of rows) {
          console.log(`${r.shopperId.padEnd(14)} ${String(r.events).padStart(6)} events  ${JSON.stringify(r.attributes)}`);
          if (r.features !== undefined) console.log(`${''.padEnd(14)} ${featureLine(r.features)}`);
        }
      } finally {
        store.close();
      }
    });
}
