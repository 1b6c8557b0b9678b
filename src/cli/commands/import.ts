import type { Command } from 'commander';
import { importPath, parseMapping } from '../../data/importers/index.js';
import { openStore } from '../../store/index.js';
import { jsonOption, openWorkspace, positiveInt, printJson, quietOption, workspaceOption, type CommonOptions } from '../common.js';
import { createProgress } from '../progress.js';
import { cleaningReportLines } from '../report-print.js';

interface ImportCliOptions extends CommonOptions {
  format?: string;
  store?: string;
  map?: string;
  limit?: number;
  dryRun?: boolean;
}

/** `vitrine import <path>`: detects the format, cleans, and writes into the store in one transaction. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a dataset into the store: MovieLens, Amazon reviews, H&M, Fashion-MNIST, a vitrine world, or CSV/JSONL with --map')
    .argument('<path>', 'file or folder to import')
    .option('-f, --format <format>', 'movielens | amazon | hm | fashion-mnist | world | generic (default: detected)')
    .option('--store <db>', 'SQLite store to write (default <workspace>/vitrine.db)')
    .option('--map <mapping>', 'column mapping for generic CSV/JSONL, e.g. user=customer,item=sku,ts=time,type=event,value=qty')
    .option('--limit <n>', 'read at most n rows (or images) of the main source', positiveInt('--limit'))
    .option('--dry-run', 'read and clean, print the report, write nothing')
    .addOption(workspaceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (path: string, opts: ImportCliOptions) => {
      const ws = openWorkspace(opts);
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        const mapping = opts.map === undefined ? undefined : parseMapping(opts.map);
        const batch = await importPath(path, {
          ...(opts.format === undefined ? {} : { format: opts.format }),
          ...(mapping === undefined ? {} : { mapping }),
          ...(opts.limit === undefined ? {} : { limit: opts.limit }),
          imagesDir: ws.images,
          onProgress: progress.report,
        });
        progress.stop();
        const storePath = opts.store ?? ws.store;
        let result;
        if (opts.dryRun !== true) {
          const store = openStore(storePath);
          try {
            result = store.importBatch(batch);
          } finally {
            store.close();
          }
        }
        if (opts.json) printJson({ store: opts.dryRun ? null : storePath, report: batch.report, result: result ?? null });
        else {
          for (const line of cleaningReportLines(batch.report, result)) console.log(line);
          console.log(opts.dryRun ? 'dry run: nothing written' : `written to ${storePath}`);
        }
      } finally {
        progress.stop();
      }
    });
}
