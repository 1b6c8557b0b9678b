import type { Command } from 'commander';
import { SUITES, type SuiteName } from '../../../bench/index.js';
import { fail } from '../../core/errors.js';
import { formatTable } from '../../evaluate/report.js';
import { jsonOption, positiveInt, printJson, quietOption, type CommonOptions } from '../common.js';
import { createProgress } from '../progress.js';

interface BenchCliOptions extends CommonOptions {
  runs?: number;
  data?: string;
  encoder?: string;
  trainEncoder?: boolean;
}

/** `vitrine bench <suite>`: benchmarks printed as a table, or JSON with --json. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(`run a benchmark suite (${Object.keys(SUITES).join(', ')}) and print JSON or a table`)
    .argument('<suite>', Object.keys(SUITES).join(' | '))
    .option('--runs <n>', 'runs per timing (medians are reported; default 5 for recsys, 3 for world and for the serve recommendation phases)', positiveInt('--runs'))
    .option('--data <path>', 'datasets folder or file (default $VITRINE_DATASETS)')
    .option('--encoder <dir>', 'visual: a saved image encoder whose features VBPR reads (default: the classic encoder)')
    .option('--train-encoder', 'visual: train a CNN encoder on each dataset\'s product images for VBPR\'s features, leaving out the products the cold-items protocol holds out (16 epochs: ~4 min on the world, ~7 on H&M)')
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (suite: string, opts: BenchCliOptions) => {
      if (!(suite in SUITES)) fail('INVALID_ARGUMENT', `unknown benchmark suite "${suite}"`, { hint: `suites: ${Object.keys(SUITES).join(', ')}` });
      if (opts.trainEncoder === true && suite !== 'visual') fail('INVALID_ARGUMENT', '--train-encoder is an option of the visual suite');
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        const result = await SUITES[suite as SuiteName]({
          ...(opts.runs === undefined ? {} : { runs: opts.runs }),
          ...(opts.data === undefined ? {} : { data: opts.data }),
          ...(opts.encoder === undefined ? {} : { encoder: opts.encoder }),
          ...(opts.trainEncoder === true ? { trainEncoder: true } : {}),
          onProgress: progress.report,
        });
        progress.stop();
        if (opts.json) {
          printJson(result);
          return;
        }
        for (const line of result.protocol) console.log(line);
        console.log('');
        console.log(formatTable(result.rows, Object.keys(Object.assign({}, ...result.rows) as object)));
        console.log('');
        for (const n of result.notes) console.log(`note: ${n}`);
        console.log(`environment: ${JSON.stringify(result.environment)}`);
      } finally {
        progress.stop();
      }
    });
}
