import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSearch, VisualNeighbour } from '../src/serve/photo-search.js';
import { tinyShop, type TinyShop } from '../src/serve/test-utils/shop.js';
import { similarAgreement, WORLD_AGREEMENTS } from './similar.js';

/**
 * The similar bench's measure on a tiny shop whose "images" are known: a
 * stub photo search makes every product of a category look alike, so with
 * the photos alone (w = 1) every shown product shares the category.
 */
let shop: TinyShop;
const neighbours = new Map<string, VisualNeighbour[]>();
const stub: PhotoSearch = { search: async () => [], neighbours: (id, k) => neighbours.get(id)?.slice(0, k) };

beforeAll(async () => {
  shop = await tinyShop({ deps: { photoSearch: stub } });
  for (const it of shop.world.items) {
    neighbours.set(it.id, shop.world.items.filter((o) => o.id !== it.id && o.category === it.category).map((o) => ({ itemId: o.id, similarity: 0.9 })));
  }
});
afterAll(() => shop.close());

describe('similarAgreement', () => {
  it('scores the share of shown products that agree with the asked one, per photo weight', async () => {
    const sample = shop.world.items.filter((it) => neighbours.get(it.id)!.length >= 2).slice(0, 8).map((it) => it.id);
    expect(sample.length).toBe(8);
    const rows = await similarAgreement(shop.app, shop.world.items, sample, { weights: [0, 1], k: 2, agreements: WORLD_AGREEMENTS });
    expect(rows.map((r) => r.visualWeight)).toEqual([0, 1]);
    const photos = rows[1]!;
    expect(photos['same category']).toBe(1);
    expect(photos.weightsUsed).toBe('1');
    for (const r of rows) {
      expect(r.products).toBe(8);
      expect(r['same category+colour+pattern']).toBeLessThanOrEqual(r['same category'] as number);
      expect(r['same category']).toBeGreaterThanOrEqual(0);
      expect(r['median ms']).toBeGreaterThan(0);
    }
  });
});
