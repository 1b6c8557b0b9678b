import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { compileTaste, encodeItems, fastUtility } from './compiled-utility.js';
import { describeTaste } from './describe-taste.js';
import { drawCatalog } from './products.js';
import { drawTaste, type Taste } from './taste.js';
import { productAttributesOf, trueUtility } from './utility.js';
import { CATEGORIES, COLOUR_NAMES, PATTERNS, SHAPE_FIELDS, SHAPE_FIELD_NAMES } from './vocabulary.js';

const START = Date.UTC(2026, 0, 1);

/** A taste that loves red striped dresses and hates everything else. */
function decidedTaste(priceSensitivity = 1): Taste {
  const one = (keys: readonly string[], hit: string): Record<string, number> =>
    Object.fromEntries(keys.map((k) => [k, k === hit ? 0.91 : 0.09 / (keys.length - 1)]));
  const shapes = Object.fromEntries(SHAPE_FIELD_NAMES.map((f) => [f, one(SHAPE_FIELDS[f], SHAPE_FIELDS[f][0]!)]));
  return {
    categories: one(CATEGORIES, 'dress'),
    colours: one(COLOUR_NAMES, 'red'),
    patterns: one(PATTERNS, 'stripes'),
    shapes,
    popularityBias: 0.5,
    priceSensitivity,
    activeHours: { peak: 20, spread: 2 },
    activity: 0.1,
  };
}

describe('trueUtility', () => {
  const taste = decidedTaste();
  const match = { category: 'dress', primaryColour: 'red', secondaryColour: 'white', pattern: 'stripes', sleeveLength: 'sleeveless', hemLength: 'mini', price: 70 };
  const opposite = { category: 'boot', primaryColour: 'green', secondaryColour: 'red', pattern: 'dots', heelHeight: 'high', shaft: 'knee', price: 140 };

  it('scores a product matching the taste far above an opposite one', () => {
    expect(trueUtility(taste, match)).toBeGreaterThan(trueUtility(taste, opposite) + 4);
    expect(trueUtility(taste, match)).toBeGreaterThan(3);
  });

  it('lowers utility with price for a price-sensitive shopper, not for an indifferent one', () => {
    const cheap = { ...match, price: 35 };
    const dear = { ...match, price: 170 };
    expect(trueUtility(taste, cheap)).toBeGreaterThan(trueUtility(taste, dear));
    expect(trueUtility(decidedTaste(0), cheap)).toBeCloseTo(trueUtility(decidedTaste(0), dear), 10);
  });

  it('scores designs outside the world, treating unknown or missing values as neutral', () => {
    const partial = trueUtility(taste, { category: 'dress' });
    expect(Number.isFinite(partial)).toBe(true);
    expect(trueUtility(taste, { category: 'dress', primaryColour: 'teal', pattern: 'tartan' })).toBeCloseTo(partial, 10);
    expect(trueUtility(taste, { category: 'spaceship' })).toBe(0);
  });

  it('agrees with the compiled fast path on catalog items', () => {
    const { items } = drawCatalog(200, 3, START, 10);
    const codes = encodeItems(items);
    const rng = new Rng(4);
    for (let s = 0; s < 5; s++) {
      const t = drawTaste(rng, { ageBand: '25-34', region: 'south' });
      const ct = compileTaste(t);
      items.forEach((it, i) => expect(fastUtility(ct, codes, i)).toBeCloseTo(trueUtility(t, productAttributesOf(it)), 5));
    }
  });
});

describe('drawTaste', () => {
  it('draws normalised, decided preferences', () => {
    const rng = new Rng(9);
    let topShare = 0;
    for (let k = 0; k < 200; k++) {
      const t = drawTaste(rng, { ageBand: '35-44', region: 'north' });
      const w = Object.values(t.categories);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      for (const f of SHAPE_FIELD_NAMES) expect(Object.values(t.shapes[f]!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      topShare += w.sort((a, b) => b - a).slice(0, 2).reduce((a, b) => a + b, 0) / 200;
      expect(t.activeHours.peak).toBeGreaterThanOrEqual(0);
      expect(t.activeHours.peak).toBeLessThan(24);
    }
    // Two of ten categories hold most of the mass (uniform would give 0.2).
    expect(topShare).toBeGreaterThan(0.55);
  });

  it('lets demographics carry signal: the young like sneakers more than the 55+', () => {
    const mean = (ageBand: '18-24' | '55+', region: 'south' | 'north', key: (t: Taste) => number): number => {
      const rng = new Rng(1);
      let s = 0;
      for (let k = 0; k < 400; k++) s += key(drawTaste(rng, { ageBand, region }));
      return s / 400;
    };
    expect(mean('18-24', 'north', (t) => t.categories.sneaker!)).toBeGreaterThan(1.5 * mean('55+', 'north', (t) => t.categories.sneaker!));
    expect(mean('55+', 'south', (t) => t.colours.yellow!)).toBeGreaterThan(1.3 * mean('55+', 'north', (t) => t.colours.yellow!));
  });

  it('describes a taste in one line', () => {
    const line = describeTaste(decidedTaste(1.5));
    expect(line).toBe('likes dresses in red, stripes; price-sensitive; evenings');
  });
});
