import { runAnnBench } from './ann.js';
import { runDcganBench } from './dcgan.js';
import { runRecsysBench } from './recsys.js';
import { runSearchBench } from './search.js';
import { runServeBench } from './serve.js';
import { runSimilarBench } from './similar.js';
import type { BenchSuite } from './types.js';
import { runVisualBench } from './visual.js';
import { runWorldBench } from './world.js';

/** The benchmark suites `vitrine bench <suite>` runs. */
export const SUITES = {
  recsys: runRecsysBench,
  serve: (opts) => runServeBench(opts),
  ann: runAnnBench,
  dcgan: runDcganBench,
  visual: (opts) => runVisualBench(opts),
  search: (opts) => runSearchBench(opts),
  similar: (opts) => runSimilarBench(opts),
  world: async (opts) => {
    const r = await runWorldBench({ ...(opts.runs === undefined ? {} : { runs: opts.runs }), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    const { environment } = await import('./environment.js');
    return { suite: 'world', protocol: ['synthetic shop generation at the issue\'s scale (100,000 products, ~1,000,000 events)'], rows: r.rows, notes: r.notes, environment: environment() };
  },
} satisfies Record<string, BenchSuite>;

export type SuiteName = keyof typeof SUITES;
