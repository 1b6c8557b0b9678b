import type { Command } from 'commander';
import { openStore } from '../../store/index.js';
import { datasetStorePath } from '../dataset-source.js';
import { jsonOption, nonNegativeInt, openWorkspace, positiveInt, printJson, workspaceOption, type CommonOptions } from '../common.js';

interface ShoppersOptions extends CommonOptions {
  limit: number;
  offset: number;
  store?: string;
}

/** `vitrine shoppers`: lists shoppers of the store with their attributes and event counts. */
export function registerShoppers(program: Command): void {
  program
    .command('shoppers')
    .description('list shoppers in the store, with their attributes and number of events')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 10)
    .option('--offset <n>', 'skip the first n', nonNegativeInt('--offset'), 0)
    .option('--store <db>', 'store (default <workspace>/vitrine.db)')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .action((opts: ShoppersOptions) => {
      const ws = openWorkspace(opts);
      const store = openStore(datasetStorePath(opts.store ?? ws.store), { readonly: true });
      try {
        const rows = store.listShoppers({ limit: opts.limit, offset: opts.offset }).map((s) => ({
          shopperId: s.id,
          attributes: s.attributes,
          events: store.eventsOf(s.id).length,
        }));
        if (opts.json) printJson(rows);
        else for (const r of rows) console.log(`${r.shopperId.padEnd(14)} ${String(r.events).padStart(6)} events  ${JSON.stringify(r.attributes)}`);
      } finally {
        store.close();
      }
    });
}
