import { fail } from '../core/errors.js';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';

/**
 * A/B test statistics (paper 000, 3.7: "Advanced methods like A/B testing"):
 * proportions with Wilson or normal (Wald) intervals, the two-proportion
 * z-test for CTR and conversion, Welch's t-test for order value and revenue
 * per shopper (unequal variances), and the sample-size calculator. Pure
 * functions over counts and moments; every interval is two-sided at
 * `confidence` (default 0.95).
 */

export interface Interval {
  lo: number;
  hi: number;
}

export interface Proportion extends Interval {
  successes: number;
  trials: number;
  /** successes / trials (0 for no trials). */
  rate: number;
  method: 'wilson' | 'normal';
}

function z(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) fail('INVALID_ARGUMENT', `confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

function checkCounts(successes: number, trials: number): void {
  if (!(Number.isFinite(successes) && Number.isFinite(trials) && successes >= 0 && trials >= 0 && successes <= trials)) {
    fail('INVALID_ARGUMENT', `bad proportion ${successes}/${trials}: need 0 <= successes <= trials`);
  }
}

/**
 * Wilson score interval (Wilson 1927): the interval of p whose z-test does
 * not reject, p̂ + z²/2n ± z √(p̂(1-p̂)/n + z²/4n²), over 1 + z²/n. Stays in
 * [0, 1] and behaves at 0 or n successes, unlike Wald's.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Proportion {
  checkCounts(successes, trials);
  if (trials === 0) return { successes, trials, rate: 0, lo: 0, hi: 1, method: 'wilson' };
  const zz = z(confidence);
  const p = successes / trials;
  const denom = 1 + (zz * zz) / trials;
  const centre = (p + (zz * zz) / (2 * trials)) / denom;
  const half = (zz * Math.sqrt((p * (1 - p)) / trials + (zz * zz) / (4 * trials * trials))) / denom;
  return { successes, trials, rate: p, lo: successes === 0 ? 0 : Math.max(0, centre - half), hi: successes === trials ? 1 : Math.min(1, centre + half), method: 'wilson' };
}

/** Wald (normal) interval p̂ ± z √(p̂(1-p̂)/n), clipped to [0, 1]. */
export function normalInterval(successes: number, trials: number, confidence = 0.95): Proportion {
  checkCounts(successes, trials);
  if (trials === 0) return { successes, trials, rate: 0, lo: 0, hi: 1, method: 'normal' };
  const p = successes / trials;
  const half = z(confidence) * Math.sqrt((p * (1 - p)) / trials);
  return { successes, trials, rate: p, lo: Math.max(0, p - half), hi: Math.min(1, p + half), method: 'normal' };
}

export interface TestResult {
  /** Treatment minus control (rates, or means). */
  diff: number;
  /** Relative lift diff / control (NaN when the control is 0). */
  lift: number;
  /** Interval of diff at the given confidence. */
  ci: Interval;
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  significant: boolean;
}

/**
 * Two-proportion z-test of H0: p_treatment = p_control, with the pooled
 * standard error for the statistic and the unpooled one for the interval of
 * the difference (the usual pairing; e.g. Kohavi, Tang and Xu 2020, ch. 17).
 */
export function twoProportionZTest(
  control: { successes: number; trials: number },
  treatment: { successes: number; trials: number },
  confidence = 0.95,
): TestResult {
  checkCounts(control.successes, control.trials);
  checkCounts(treatment.successes, treatment.trials);
  const { successes: x1, trials: n1 } = control;
  const { successes: x2, trials: n2 } = treatment;
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const diff = p2 - p1;
  const pooled = n1 + n2 > 0 ? (x1 + x2) / (n1 + n2) : 0;
  const sePooled = n1 > 0 && n2 > 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)) : 0;
  const se = n1 > 0 && n2 > 0 ? Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2) : 0;
  const stat = sePooled > 0 ? diff / sePooled : 0;
  const pValue = sePooled > 0 ? 2 * (1 - normalCdf(Math.abs(stat))) : 1;
  const half = z(confidence) * se;
  return { diff, lift: p1 > 0 ? diff / p1 : Number.NaN, ci: { lo: diff - half, hi: diff + half }, statistic: stat, pValue, significant: pValue < 1 - confidence };
}

/** Sample moments of one group: n values with this mean and (n-1)-denominator variance. */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

/** Moments from a count, a sum and a sum of squares (what SQL aggregates give). */
export function momentsFromSums(n: number, sum: number, sumSq: number): Moments {
  if (n <= 0) return { n: 0, mean: 0, variance: 0 };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

/** Moments of a list of values. */
export function momentsOf(values: ArrayLike<number>): Moments {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    sumSq += values[i]! * values[i]!;
  }
  return momentsFromSums(values.length, sum, sumSq);
}

/** Interval of a mean: mean ± t_{n-1} s/√n (the normal quantile for large n). */
export function meanInterval(m: Moments, confidence = 0.95): Interval {
  if (m.n < 2) return { lo: m.n === 1 ? m.mean : 0, hi: m.n === 1 ? m.mean : 0 };
  z(confidence);
  const half = studentTQuantile(1 - (1 - confidence) / 2, m.n - 1) * Math.sqrt(m.variance / m.n);
  return { lo: m.mean - half, hi: m.mean + half };
}

/**
 * Welch's t-test (Welch 1947) of H0: mean_treatment = mean_control without
 * assuming equal variances; degrees of freedom by Welch-Satterthwaite.
 */
export function welchTTest(control: Moments, treatment: Moments, confidence = 0.95): TestResult {
  const diff = treatment.mean - control.mean;
  const lift = control.mean !== 0 ? diff / control.mean : Number.NaN;
  if (control.n < 2 || treatment.n < 2) {
    return { diff, lift, ci: { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY }, statistic: 0, pValue: 1, significant: false };
  }
  const v1 = control.variance / control.n;
  const v2 = treatment.variance / treatment.n;
  const se = Math.sqrt(v1 + v2);
  if (se === 0) {
    const pValue = diff === 0 ? 1 : 0;
    return { diff, lift, ci: { lo: diff, hi: diff }, statistic: diff === 0 ? 0 : Math.sign(diff) * Infinity, pValue, significant: pValue < 1 - confidence };
  }
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (control.n - 1) + (v2 * v2) / (treatment.n - 1));
  const stat = diff / se;
  const pValue = 2 * (1 - studentTCdf(Math.abs(stat), df));
  z(confidence);
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, lift, ci: { lo: diff - half, hi: diff + half }, statistic: stat, pValue, significant: pValue < 1 - confidence };
}

export interface SampleSizeInput {
  /** Control rate p1 in (0, 1). */
  baseline: number;
  /** Minimum detectable effect: absolute (p2 = p1 + mde) unless `relative` (p2 = p1 (1 + mde)). */
  mde: number;
  relative?: boolean;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Power 1 - β (default 0.8). */
  power?: number;
}

/**
 * Shoppers needed per variant to detect p1 → p2 with a two-sided
 * two-proportion z-test (Fleiss, Levin and Paik 2003, eq. 4.14 without the
 * continuity correction):
 *   n = (z_{1-α/2} √(2 p̄ q̄) + z_{1-β} √(p1 q1 + p2 q2))² / (p2 - p1)²,  p̄ = (p1 + p2)/2.
 */
export function sampleSizePerVariant(input: SampleSizeInput): { perVariant: number; p1: number; p2: number; alpha: number; power: number } {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const p1 = input.baseline;
  const p2 = input.relative === true ? p1 * (1 + input.mde) : p1 + input.mde;
  if (!(p1 > 0 && p1 < 1)) fail('INVALID_ARGUMENT', `baseline must be in (0, 1), got ${p1}`);
  if (!(p2 > 0 && p2 < 1) || p2 === p1) fail('INVALID_ARGUMENT', `baseline + effect must be in (0, 1) and differ from the baseline, got ${p2}`);
  if (!(alpha > 0 && alpha < 1)) fail('INVALID_ARGUMENT', `alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) fail('INVALID_ARGUMENT', `power must be in (0, 1), got ${power}`);
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const num = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return { perVariant: Math.ceil((num * num) / ((p2 - p1) * (p2 - p1))), p1, p2, alpha, power };
}

/** Power of the two-sided two-proportion z-test with n per variant (the inverse of sampleSizePerVariant). */
export function twoProportionPower(p1: number, p2: number, n: number, alpha = 0.05): number {
  const za = normalQuantile(1 - alpha / 2);
  const pBar = (p1 + p2) / 2;
  const se0 = Math.sqrt((2 * pBar * (1 - pBar)) / n);
  const se1 = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n);
  return normalCdf((Math.abs(p2 - p1) - za * se0) / se1);
}
