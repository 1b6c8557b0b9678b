import { describe, expect, it } from 'vitest';
import {
  momentsOf,
  normalInterval,
  sampleSizePerVariant,
  twoProportionPower,
  twoProportionZTest,
  welchTTest,
  wilsonInterval,
} from './ab.js';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';

/** Reference values from scipy 1.17 (stats.norm, stats.t, stats.ttest_ind(equal_var=False)). */
describe('distributions', () => {
  it('match scipy', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 7);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 8);
    expect(normalCdf(-4.2) / 1.3345749015906309e-5).toBeCloseTo(1, 8);
    expect(normalCdf(0.3)).toBeCloseTo(0.6179114221889527, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 6);
    expect(studentTCdf(2, 10)).toBeCloseTo(0.9633059826146299, 8);
    expect(studentTCdf(-2, 10)).toBeCloseTo(1 - 0.9633059826146299, 8);
    expect(studentTQuantile(0.975, 7.3)).toBeCloseTo(2.345066736547703, 6);
  });
});

describe('proportions', () => {
  it('Wilson interval behaves at 0 and n successes and contains the rate', () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.lo).toBe(0);
    expect(zero.hi).toBeCloseTo(3.8415 / 13.8415, 3);
    const half = wilsonInterval(5, 10);
    expect(half.lo).toBeCloseTo(0.2366, 3);
    expect(half.hi).toBeCloseTo(0.7634, 3);
    const all = wilsonInterval(10, 10);
    expect(all.hi).toBe(1);
    expect(all.lo).toBeGreaterThan(0.7);
  });

  it('normal interval is p ± 1.96 se', () => {
    const r = normalInterval(50, 100);
    expect(r.lo).toBeCloseTo(0.5 - 1.96 * 0.05, 3);
    expect(r.hi).toBeCloseTo(0.5 + 1.96 * 0.05, 3);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/bad proportion/);
  });
});

describe('tests', () => {
  it('two-proportion z-test matches the textbook statistic', () => {
    const r = twoProportionZTest({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
    expect(r.statistic).toBeCloseTo(1.963049807622355, 6);
    expect(r.pValue).toBeCloseTo(0.04964038686536876, 5);
    expect(r.significant).toBe(true);
    expect(r.diff).toBeCloseTo(0.03, 10);
    expect(r.lift).toBeCloseTo(0.25, 10);
    expect(r.ci.lo).toBeLessThan(0.03);
    expect(r.ci.hi).toBeGreaterThan(0.03);
    expect(twoProportionZTest({ successes: 10, trials: 100 }, { successes: 10, trials: 100 }).pValue).toBeCloseTo(1, 10);
  });

  it('Welch t-test matches scipy ttest_ind(equal_var=False)', () => {
    const a = momentsOf([19.1, 22.4, 18.3, 25.0, 21.7, 20.2]);
    const b = momentsOf([24.3, 26.1, 22.8, 27.5, 25.9, 23.0, 28.4]);
    const r = welchTTest(a, b);
    expect(r.statistic).toBeCloseTo(3.3460644407812534, 6);
    expect(r.pValue).toBeCloseTo(0.007283874229280358, 6);
    expect(r.ci.lo).toBeCloseTo(1.4456521560983169, 4);
    expect(r.ci.hi).toBeCloseTo(7.1781573677112025, 4);
  });
});

describe('sample size', () => {
  it('gives the Fleiss n and that n has the asked power', () => {
    const r = sampleSizePerVariant({ baseline: 0.1, mde: 0.02 });
    // (1.95996 √(2·0.11·0.89) + 0.84162 √(0.1·0.9 + 0.12·0.88))² / 0.02² = 3840.2
    expect(r.perVariant).toBe(3841);
    expect(twoProportionPower(0.1, 0.12, r.perVariant)).toBeCloseTo(0.8, 2);
    expect(sampleSizePerVariant({ baseline: 0.1, mde: 0.2, relative: true }).perVariant).toBe(3841);
    expect(sampleSizePerVariant({ baseline: 0.1, mde: 0.01 }).perVariant).toBeGreaterThan(3841 * 3.5);
  });

  it('rejects a zero effect', () => {
    expect(() => sampleSizePerVariant({ baseline: 0.1, mde: 0 })).toThrow(/differ/);
  });
});
