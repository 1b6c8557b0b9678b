import { catalogCoverage } from '../metrics/beyond-accuracy.js';

/**
 * Sums per-shopper metric values for one segment (overall, cold, heavy) and
 * returns their means; catalog coverage is collected from the lists. A value
 * that is NaN for a shopper (AUC with no negative candidate) is left out of
 * that metric's mean only. A metric nobody contributed to is NaN.
 */
export class MetricAccumulator {
  private readonly sums = new Map<string, { sum: number; n: number }>();
  private readonly lists: Int32Array[] = [];
  users = 0;

  constructor(
    private readonly nItems: number,
    private readonly coverageKey: string,
    private readonly coverageK: number,
  ) {}

  /** Adds one shopper's values and top list. */
  addUser(values: Readonly<Record<string, number>>, top: Int32Array): void {
    this.users++;
    for (const [key, v] of Object.entries(values)) {
      const s = this.sums.get(key) ?? { sum: 0, n: 0 };
      if (!Number.isNaN(v)) {
        s.sum += v;
        s.n++;
      }
      this.sums.set(key, s);
    }
    this.lists.push(top);
  }

  /** Means per metric, plus catalog coverage under `coverageKey`. */
  result(keys: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of keys) {
      if (key === this.coverageKey) {
        out[key] = this.users === 0 ? Number.NaN : catalogCoverage(this.lists, this.nItems, this.coverageK);
        continue;
      }
      const s = this.sums.get(key);
      out[key] = s === undefined || s.n === 0 ? Number.NaN : s.sum / s.n;
    }
    return out;
  }
}
