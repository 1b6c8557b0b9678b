import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { encodeItems } from './compiled-utility.js';
import { ExposureSampler, upperBound } from './exposure.js';
import { drawCatalog } from './products.js';
import { drawSlate, type Page, type SlateMix } from './slate.js';
import { CATEGORIES } from './vocabulary.js';

const START = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const MIX: SlateMix = { like: [0.6, 0.3], browse: [0.85, 0.1], search: [0.7, 0.25], home: [0.15, 0.75] };

describe('drawSlate', () => {
  const { items, appeal } = drawCatalog(600, 4, START, 30);
  const codes = encodeItems(items);
  const createdAt = Float64Array.from(items, (i) => i.createdAt!);
  const sampler = new ExposureSampler(codes, appeal, createdAt, 7 * DAY, 0.4);
  const rng = new Rng(3);
  const t = START + 10 * DAY;

  it('shows distinct products that exist at the time and are not excluded', () => {
    const excluded = new Set([0, 1, 2, 3, 4, 5]);
    const pages: Page[] = [
      { kind: 'home', categoryWeights: CATEGORIES.map(() => 1) },
      { kind: 'browse', category: 2 },
      { kind: 'search', category: 2, colour: 5 },
      { kind: 'like', category: 0, colour: 1 },
    ];
    for (const page of pages) {
      for (let k = 0; k < 50; k++) {
        const slate = drawSlate(sampler, page, MIX, 8, rng, t, (i) => excluded.has(i));
        expect(new Set(slate).size).toBe(slate.length);
        expect(slate.length).toBeGreaterThan(4);
        for (const i of slate) {
          expect(createdAt[i]!).toBeLessThanOrEqual(t);
          expect(excluded.has(i)).toBe(false);
        }
      }
    }
  });

  it('follows the page: a search shows mostly its category and colour', () => {
    let match = 0;
    let total = 0;
    for (let k = 0; k < 100; k++) {
      for (const i of drawSlate(sampler, { kind: 'search', category: 1, colour: 3 }, MIX, 8, rng, t, () => false)) {
        total++;
        if (codes.cat[i] === 1 && codes.col[i] === 3) match++;
      }
    }
    // Small catalog: the (category, colour) list runs dry within a slate, so well under 0.7, yet far above the ~1/120 base rate.
    expect(match / total).toBeGreaterThan(0.3);
  });

  it('draws new arrivals from the window before the time only', () => {
    const lo = upperBound(createdAt, t - 7 * DAY);
    const hi = upperBound(createdAt, t);
    expect(hi).toBeGreaterThan(lo);
    for (let k = 0; k < 200; k++) {
      const i = sampler.newItem(rng, t, () => false);
      expect(i).toBeGreaterThanOrEqual(lo);
      expect(i).toBeLessThan(hi);
    }
  });
});
