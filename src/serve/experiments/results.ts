import { momentsFromSums, twoProportionZTest, welchTTest, type TestResult } from '../../metrics/ab.js';
import { businessMetrics, type BusinessMetrics } from '../../metrics/business.js';
import type { BusinessCountsRow, ExperimentRecord } from '../../store/serving-types.js';

/**
 * An experiment's results: per variant the business metrics with intervals,
 * and for every variant against the control (the first variant) the lift of
 * CTR and conversion (two-proportion z-test), of average order value and of
 * revenue per shopper (Welch's t-test), with intervals of the difference.
 */
export interface VariantResult {
  variant: string;
  metrics: BusinessMetrics;
}

export interface Comparison {
  variant: string;
  control: string;
  ctr: TestResult;
  conversion: TestResult;
  aov: TestResult;
  revenuePerShopper: TestResult;
}

export interface ExperimentResults {
  experiment: ExperimentRecord;
  confidence: number;
  variants: VariantResult[];
  comparisons: Comparison[];
  byDay: BusinessMetrics[];
}

function emptyRow(variant: string): BusinessCountsRow {
  return { day: 'all', variant, impressions: 0, clicks: 0, shoppers: 0, buyers: 0, orders: 0, revenue: 0, orderValueSumSq: 0, shopperRevenueSumSq: 0 };
}

/** Compares every variant with the control from the overall rows (`byDay: false`) and the daily ones. */
export function experimentResults(experiment: ExperimentRecord, overall: readonly BusinessCountsRow[], daily: readonly BusinessCountsRow[], confidence = 0.95): ExperimentResults {
  const row = (name: string): BusinessCountsRow => overall.find((r) => r.variant === name) ?? emptyRow(name);
  const variants = experiment.variants.map((v) => ({ variant: v.name, metrics: businessMetrics(row(v.name), confidence) }));
  const control = experiment.variants[0]!.name;
  const c = row(control);
  const comparisons = experiment.variants.slice(1).map((v) => {
    const t = row(v.name);
    return {
      variant: v.name,
      control,
      ctr: twoProportionZTest({ successes: Math.min(c.clicks, c.impressions), trials: c.impressions }, { successes: Math.min(t.clicks, t.impressions), trials: t.impressions }, confidence),
      conversion: twoProportionZTest({ successes: c.buyers, trials: c.shoppers }, { successes: t.buyers, trials: t.shoppers }, confidence),
      aov: welchTTest(momentsFromSums(c.orders, c.revenue, c.orderValueSumSq), momentsFromSums(t.orders, t.revenue, t.orderValueSumSq), confidence),
      revenuePerShopper: welchTTest(momentsFromSums(c.shoppers, c.revenue, c.shopperRevenueSumSq), momentsFromSums(t.shoppers, t.revenue, t.shopperRevenueSumSq), confidence),
    };
  });
  return { experiment, confidence, variants, comparisons, byDay: daily.map((r) => businessMetrics(r, confidence)) };
}
