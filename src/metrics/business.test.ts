import { describe, expect, it } from 'vitest';
import {
  averageOrderValue,
  businessMetrics,
  clickThroughRate,
  conversionRate,
  customerLifetimeValue,
  ordersPerYear,
  revenuePerShopper,
  sumCounts,
  type BusinessCounts,
} from './business.js';

const cell = (over: Partial<BusinessCounts> = {}): BusinessCounts => ({
  day: '2026-01-01',
  variant: 'a',
  impressions: 1000,
  clicks: 50,
  shoppers: 100,
  buyers: 10,
  orders: 12,
  revenue: 600,
  orderValueSumSq: 12 * 50 * 50 + 11 * 100,
  ...over,
});

describe('business metrics', () => {
  it('computes the ratios by their definitions', () => {
    expect(clickThroughRate(50, 1000).rate).toBeCloseTo(0.05, 12);
    expect(conversionRate(10, 100).rate).toBeCloseTo(0.1, 12);
    expect(averageOrderValue(600, 12)).toBe(50);
    expect(revenuePerShopper(600, 100)).toBe(6);
    expect(averageOrderValue(100, 0)).toBe(0);
    expect(revenuePerShopper(100, 0)).toBe(0);
  });

  it('puts intervals around every rate and the AOV', () => {
    const m = businessMetrics(cell());
    expect(m.ctr.lo).toBeLessThan(0.05);
    expect(m.ctr.hi).toBeGreaterThan(0.05);
    expect(m.conversion.rate).toBeCloseTo(0.1, 12);
    expect(m.aov.mean).toBe(50);
    // variance of order values is 100 (sumSq built that way): the t interval is 50 ± t_11 · 10/√12
    expect(m.aov.hi - m.aov.mean).toBeCloseTo(2.201 * (10 / Math.sqrt(12)), 2);
    expect(m.revenuePerShopper).toBe(6);
  });

  it('cuts the AOV interval at zero when few orders vary a lot', () => {
    // two orders of 1 and 199: mean 100, standard deviation 140.7, t_1 = 12.71: the raw interval reaches far below zero
    const m = businessMetrics({ ...cell(), orders: 2, revenue: 200, orderValueSumSq: 1 + 199 * 199 });
    expect(m.aov.mean).toBe(100);
    expect(m.aov.lo).toBe(0);
    expect(m.aov.hi).toBeGreaterThan(1000);
  });

  it('CLV follows m r / (1 + i - r)', () => {
    expect(customerLifetimeValue({ aov: 50, ordersPerYear: 4, retention: 0.6, discountRate: 0.1 })).toBeCloseTo((200 * 0.6) / 0.5, 10);
    expect(customerLifetimeValue({ aov: 50, ordersPerYear: 4, margin: 0.3 })).toBeCloseTo((60 * 0.6) / 0.5, 10);
    expect(() => customerLifetimeValue({ aov: 1, ordersPerYear: 1, retention: 1 })).toThrow(/retention/);
    expect(ordersPerYear(10, 100, 36.5)).toBeCloseTo(1, 12);
  });

  it('sums cells', () => {
    const s = sumCounts([cell(), cell({ clicks: 10 })], 'all', 'a');
    expect(s.impressions).toBe(2000);
    expect(s.clicks).toBe(60);
    expect(s.day).toBe('all');
  });
});
