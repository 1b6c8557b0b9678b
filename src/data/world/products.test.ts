import { describe, expect, it } from 'vitest';
import { AliasTable } from './alias.js';
import { Rng } from '../../core/rng.js';
import { drawCatalog, productId } from './products.js';
import { CATEGORIES, CATEGORY_SPECS, COLOUR_NAMES, PATTERNS, isCategory, shapeFieldsOf } from './vocabulary.js';

const START = Date.UTC(2026, 0, 1);

describe('drawCatalog', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = drawCatalog(60, 7, START, 5);
    const b = drawCatalog(60, 7, START, 5);
    const c = drawCatalog(60, 8, START, 5);
    expect(b.items).toEqual(a.items);
    expect(Array.from(b.appeal)).toEqual(Array.from(a.appeal));
    expect(c.items.map((i) => i.caption)).not.toEqual(a.items.map((i) => i.caption));
  });

  it('numbers products in arrival order and lets a share arrive during the days', () => {
    const { items } = drawCatalog(400, 3, START, 30);
    expect(items[0]!.id).toBe('p000001');
    expect(items[399]!.id).toBe(productId(399));
    const times = items.map((i) => i.createdAt!);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const late = times.filter((t) => t >= START).length / items.length;
    expect(late).toBeGreaterThan(0.2);
    expect(late).toBeLessThan(0.5);
    expect(Math.max(...times)).toBeLessThan(START + 30 * 86_400_000);
  });

  it('covers at least 8 categories, 10 colours and every pattern in a moderate catalog', () => {
    const { items } = drawCatalog(2000, 7, START, 60);
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(8);
    expect(COLOUR_NAMES.length).toBeGreaterThanOrEqual(10);
    expect(new Set(items.map((i) => i.category)).size).toBe(CATEGORIES.length);
    expect(new Set(items.map((i) => i.attributes.primaryColour)).size).toBe(COLOUR_NAMES.length);
    expect(new Set(items.map((i) => i.attributes.pattern)).size).toBe(PATTERNS.length);
  });

  it('gives each product valid shape fields, a contrasting secondary colour and a price in range', () => {
    const { items } = drawCatalog(300, 11, START, 10);
    for (const it of items) {
      expect(isCategory(it.category)).toBe(true);
      if (!isCategory(it.category)) continue;
      const spec = CATEGORY_SPECS[it.category];
      for (const f of shapeFieldsOf(it.category)) expect(spec.shapes[f]).toContain(it.attributes[f]);
      expect(it.attributes.secondaryColour).not.toBe(it.attributes.primaryColour);
      expect(it.price!).toBeGreaterThanOrEqual(spec.price[0] - 1);
      expect(it.price!).toBeLessThanOrEqual(spec.price[1]);
      expect(it.image).toBe(`images/${it.id}.png`);
    }
  });

  it('draws a long-tailed appeal', () => {
    const { appeal } = drawCatalog(2000, 5, START, 60);
    const sorted = Array.from(appeal).sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top10 = sorted.slice(0, 200).reduce((a, b) => a + b, 0);
    expect(top10 / total).toBeGreaterThan(0.35);
  });
});

describe('AliasTable', () => {
  it('draws outcomes in proportion to their weights', () => {
    const t = new AliasTable([1, 0, 3, 6], [10, 11, 12, 13]);
    const rng = new Rng(1);
    const counts = new Map<number, number>();
    for (let k = 0; k < 20000; k++) {
      const x = t.draw(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect(counts.get(11)).toBeUndefined();
    expect((counts.get(10) ?? 0) / 20000).toBeCloseTo(0.1, 1);
    expect((counts.get(13) ?? 0) / 20000).toBeCloseTo(0.6, 1);
  });

  it('rejects empty or all-zero weights', () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
  });
});
