import { fail } from '../core/errors.js';
import { meanInterval, momentsFromSums, wilsonInterval, type Interval, type Proportion } from './ab.js';

/**
 * Business metrics of a shop (paper 000, 3.7: "conversion rate,
 * click-through rate, average order value, and customer lifetime value"):
 * pure functions over the counts the store aggregates per day and variant.
 *
 * Definitions (pinned here, used by the service, the reports and simulate-ab):
 * - CTR = clicks on shown products / impressions (one impression = one product in a shown slate).
 * - conversion rate = shoppers who bought / active shoppers (shoppers shown a slate, or exposed to a variant).
 * - order = the purchases of one shopper in one session (or day, when events carry no session);
 *   order value = Σ price × quantity; AOV = revenue / orders.
 * - revenue per shopper = revenue / active shoppers.
 * - CLV (Gupta and Lehmann 2003, "Customers as assets", eq. 3): m r / (1 + i - r),
 *   with m the expected annual margin per shopper, r the annual retention and i the discount rate.
 */

/** Raw counts of one (day, variant) cell, as the store aggregates them. */
export interface BusinessCounts {
  /** ISO day "2026-01-05", or "all" for a whole window. */
  day: string;
  variant: string;
  impressions: number;
  clicks: number;
  shoppers: number;
  buyers: number;
  orders: number;
  revenue: number;
  /** Σ (order value)², for the spread of order values. */
  orderValueSumSq: number;
}

export interface BusinessMetrics extends BusinessCounts {
  ctr: Proportion;
  conversion: Proportion;
  /** Average order value with its t interval. */
  aov: { mean: number } & Interval;
  revenuePerShopper: number;
}

/** clicks / impressions with a Wilson interval. */
export function clickThroughRate(clicks: number, impressions: number, confidence = 0.95): Proportion {
  return wilsonInterval(Math.min(clicks, impressions), impressions, confidence);
}

/** buyers / shoppers with a Wilson interval. */
export function conversionRate(buyers: number, shoppers: number, confidence = 0.95): Proportion {
  return wilsonInterval(Math.min(buyers, shoppers), shoppers, confidence);
}

/** revenue / orders (0 without orders). */
export function averageOrderValue(revenue: number, orders: number): number {
  return orders > 0 ? revenue / orders : 0;
}

/** revenue / shoppers (0 without shoppers). */
export function revenuePerShopper(revenue: number, shoppers: number): number {
  return shoppers > 0 ? revenue / shoppers : 0;
}

export interface ClvInput {
  /** Average order value. */
  aov: number;
  /** Orders per shopper per year. */
  ordersPerYear: number;
  /** Gross margin as a share of revenue (default 1: CLV in revenue terms). */
  margin?: number;
  /** Annual retention r in [0, 1) (default 0.6). */
  retention?: number;
  /** Annual discount rate i >= 0 (default 0.1). */
  discountRate?: number;
}

/** CLV = m r / (1 + i - r), m = aov × ordersPerYear × margin (Gupta and Lehmann 2003). */
export function customerLifetimeValue(input: ClvInput): number {
  const margin = input.margin ?? 1;
  const r = input.retention ?? 0.6;
  const i = input.discountRate ?? 0.1;
  if (!(r >= 0 && r < 1)) fail('INVALID_ARGUMENT', `retention must be in [0, 1), got ${r}`);
  if (!(i >= 0)) fail('INVALID_ARGUMENT', `discountRate must be >= 0, got ${i}`);
  if (!(margin >= 0 && margin <= 1)) fail('INVALID_ARGUMENT', `margin must be in [0, 1], got ${margin}`);
  const m = input.aov * input.ordersPerYear * margin;
  return (m * r) / (1 + i - r);
}

/** Orders per shopper per year from a window of `days`. */
export function ordersPerYear(orders: number, shoppers: number, days: number): number {
  return shoppers > 0 && days > 0 ? (orders / shoppers) * (365 / days) : 0;
}

/** Every metric of one cell, with intervals. */
export function businessMetrics(c: BusinessCounts, confidence = 0.95): BusinessMetrics {
  const aovMoments = momentsFromSums(c.orders, c.revenue, c.orderValueSumSq);
  const aovCi = meanInterval(aovMoments, confidence);
  return {
    ...c,
    ctr: clickThroughRate(c.clicks, c.impressions, confidence),
    conversion: conversionRate(c.buyers, c.shoppers, confidence),
    // Order values are never negative: a normal interval on few orders is cut at zero.
    aov: { mean: averageOrderValue(c.revenue, c.orders), lo: Math.max(0, aovCi.lo), hi: aovCi.hi },
    revenuePerShopper: revenuePerShopper(c.revenue, c.shoppers),
  };
}

/** Sums cells (e.g. every day of a variant) into one; shoppers and buyers are summed, so pass distinct counts when you have them. */
export function sumCounts(cells: readonly BusinessCounts[], day: string, variant: string): BusinessCounts {
  const out: BusinessCounts = { day, variant, impressions: 0, clicks: 0, shoppers: 0, buyers: 0, orders: 0, revenue: 0, orderValueSumSq: 0 };
  for (const c of cells) {
    out.impressions += c.impressions;
    out.clicks += c.clicks;
    out.shoppers += c.shoppers;
    out.buyers += c.buyers;
    out.orders += c.orders;
    out.revenue += c.revenue;
    out.orderValueSumSq += c.orderValueSumSq;
  }
  return out;
}
