import type { Command } from 'commander';
import { simulateAb, type AbLift, type AbVariantOutcome } from '../../evaluate/simulate-ab.js';
import { AB_VARIANTS } from '../../evaluate/simulate-ab-variants.js';
import { formatTable } from '../../evaluate/report.js';
import { jsonOption, nonNegativeInt, positiveInt, printJson, quietOption, type CommonOptions } from '../common.js';
import { createProgress } from '../progress.js';

interface SimulateAbCliOptions extends CommonOptions {
  variants: string;
  shoppers: number;
  days: number;
  items: number;
  historyDays: number;
  k: number;
  seed: number;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const ci = (m: number, lo: number, hi: number, f: (x: number) => string): string => `${f(m)} [${f(lo)}, ${f(hi)}]`;
const money = (x: number): string => x.toFixed(2);
const pValue = (p: number): string => (p < 0.0001 ? '<0.0001' : p.toFixed(4));

function variantRow(v: AbVariantOutcome): Record<string, string | number> {
  return {
    variant: v.variant,
    shoppers: v.shoppers,
    visits: v.visits,
    impressions: v.impressions,
    ctr: ci(v.ctr.rate, v.ctr.lo, v.ctr.hi, pct),
    conversion: ci(v.conversion.rate, v.conversion.lo, v.conversion.hi, pct),
    aov: ci(v.aov.mean, v.aov.lo, v.aov.hi, money),
    revenuePerShopper: ci(v.revenuePerShopper.mean, v.revenuePerShopper.lo, v.revenuePerShopper.hi, money),
    trueUtility: ci(v.trueUtility.mean, v.trueUtility.lo, v.trueUtility.hi, (x) => x.toFixed(3)),
  };
}

function liftRow(l: AbLift): Record<string, string> {
  const rel = (t: { lift: number; pValue: number }): string => `${Number.isFinite(t.lift) ? `${t.lift >= 0 ? '+' : ''}${(100 * t.lift).toFixed(1)}%` : 'n/a'} (p ${pValue(t.pValue)})`;
  return {
    variant: `${l.variant} vs ${l.control}`,
    ctr: rel(l.ctr),
    conversion: rel(l.conversion),
    aov: rel(l.aov),
    revenuePerShopper: rel(l.revenuePerShopper),
    trueUtility: `${l.trueUtility.diff >= 0 ? '+' : ''}${l.trueUtility.diff.toFixed(3)} [${l.trueUtility.ci.lo.toFixed(3)}, ${l.trueUtility.ci.hi.toFixed(3)}] (p ${pValue(l.trueUtility.pValue)})`,
  };
}

/** `vitrine simulate-ab`: variants shown to simulated shoppers who react by their hidden tastes; CTR, conversion and order value with intervals. */
export function registerSimulateAb(program: Command): void {
  program
    .command('simulate-ab')
    .description('simulated A/B test on a synthetic shop: shoppers react to each variant by their hidden tastes; lifts with intervals and ground truth')
    .option('--variants <list>', `variants, the first is the control (${Object.keys(AB_VARIANTS).join(', ')})`, 'pop,als,hybrid')
    .option('--shoppers <n>', 'shoppers in the world', positiveInt('--shoppers'), 5000)
    .option('--days <n>', 'days the test runs', positiveInt('--days'), 14)
    .option('--items <n>', 'products in the world', positiveInt('--items'), 2000)
    .option('--history-days <n>', 'days of history the variants train on', positiveInt('--history-days'), 30)
    .option('-k, --k <n>', 'slate size', positiveInt('--k'), 10)
    .option('--seed <n>', 'world seed', nonNegativeInt('--seed'), 7)
    .addOption(jsonOption())
    .addOption(quietOption())
    .action(async (opts: SimulateAbCliOptions) => {
      const progress = createProgress({ quiet: opts.quiet === true || opts.json === true });
      try {
        const result = await simulateAb({
          variants: opts.variants.split(',').map((v) => v.trim()).filter(Boolean),
          shoppers: opts.shoppers,
          days: opts.days,
          items: opts.items,
          historyDays: opts.historyDays,
          k: opts.k,
          seed: opts.seed,
          onProgress: progress.report,
        });
        progress.stop();
        if (opts.json) return printJson(result);
        for (const line of result.protocol) console.log(line);
        console.log('');
        const int = (key: string): { key: string; format: (v: unknown) => string } => ({ key, format: (v) => String(v) });
        console.log(formatTable(result.variants.map(variantRow), ['variant', int('shoppers'), int('visits'), int('impressions'), 'ctr', 'conversion', 'aov', 'revenuePerShopper', 'trueUtility']));
        console.log('');
        console.log(formatTable(result.lifts.map(liftRow), ['variant', 'ctr', 'conversion', 'aov', 'revenuePerShopper', 'trueUtility']));
        console.log('');
        console.log(`intervals at 95%; lifts are relative to ${result.config.variants[0]} with two-sided p-values; trueUtility is the mean hidden utility of the products shown (ground truth). ${result.seconds.toFixed(1)} s`);
      } finally {
        progress.stop();
      }
    });
}
