import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoSearch, VisualNeighbour } from './photo-search.js';
import type { SimilarDto } from './schemas/recommend.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * "Similar products" blend the model's item similarity with the image
 * index's nearest images: a stub photo search gives known neighbours, so
 * each score can be checked against its parts.
 */
let shop: TinyShop;
const neighbours = new Map<string, VisualNeighbour[]>();
const stub: PhotoSearch = { search: async () => [], neighbours: (id, k) => neighbours.get(id)?.slice(0, k) };

beforeAll(async () => {
  shop = await tinyShop({ deps: { photoSearch: stub } });
});
afterAll(() => shop.close());

async function similar(id: string, query = '', k = 59): Promise<SimilarDto> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/recommendations/similar/${id}?k=${k}${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SimilarDto;
}

/** The product with the most events (ALS surely has a vector for it). */
function busiestItem(): string {
  const counts = new Map<number, number>();
  for (let k = 0; k < shop.world.events.n; k++) counts.set(shop.world.events.item[k]!, (counts.get(shop.world.events.item[k]!) ?? 0) + 1);
  return shop.world.items[[...counts].sort((a, b) => b[1] - a[1])[0]![0]]!.id;
}

describe('similar products with image neighbours', () => {
  it('scores (1 − w) · model similarity + w · image cosine, w 0.5 by default, and lets the query set w', async () => {
    const id = busiestItem();
    const others = shop.world.items.map((it) => it.id).filter((x) => x !== id);
    neighbours.set(id, [{ itemId: others[40]!, similarity: 0.99 }, { itemId: others[41]!, similarity: 0.9 }]);
    const cf = await similar(id, '&visual=0');
    expect(cf.visualWeight).toBe(0);
    const cfScore = new Map(cf.items.map((i) => [i.itemId, i.score]));
    const blended = await similar(id);
    expect(blended.visualWeight).toBe(0.5);
    for (const it of blended.items) {
      const image = it.itemId === others[40] ? 0.99 : it.itemId === others[41] ? 0.9 : 0;
      expect(it.score).toBeCloseTo(0.5 * cfScore.get(it.itemId)! + 0.5 * image, 5);
    }
    const looks = await similar(id, '&visual=1', 3);
    expect(looks.items.slice(0, 2).map((i) => [i.itemId, i.score])).toEqual([[others[40], expect.closeTo(0.99, 5)], [others[41], expect.closeTo(0.9, 5)]]);
    expect(looks.items.some((i) => i.itemId === id)).toBe(false);
    // filters still apply: the nearest image's category left out
    const category = shop.world.items.find((it) => it.id === others[40])!.category;
    const other = shop.world.items.find((it) => it.category !== category)!.category;
    expect((await similar(id, `&visual=1&category=${encodeURIComponent(other)}`)).items.every((i) => i.category === other)).toBe(true);
    expect((await shop.app.inject({ method: 'GET', url: `/api/recommendations/similar/${id}?visual=2` })).statusCode).toBe(400);
  });

  it("gives a product newer than the model the products that look like it; without an indexed image, its category's best sellers", async () => {
    const item = { id: 'new-look', title: 'Striped tee', category: shop.world.items[0]!.category, price: 12, attributes: {} };
    const added = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: [item, { ...item, id: 'new-blind' }] });
    expect(added.statusCode).toBe(201);
    neighbours.set('new-look', [{ itemId: shop.world.items[7]!.id, similarity: 0.8 }, { itemId: shop.world.items[8]!.id, similarity: 0.7 }]);
    const r = await similar('new-look', '&visual=0.2');
    expect(r.visualWeight).toBe(1); // the model has no vector for it, whatever the query asks
    expect(r.basis).toBe('photos');
    expect(r.items.slice(0, 2).map((i) => i.itemId)).toEqual([shop.world.items[7]!.id, shop.world.items[8]!.id]);
    const blind = await similar('new-blind', '', 5);
    expect(blind.basis).toBe('category');
    const sameCategory = shop.world.items.filter((it) => it.category === item.category).length;
    expect(blind.items).toHaveLength(Math.min(5, sameCategory));
    expect(blind.items.every((i) => i.category === item.category && i.itemId !== 'new-blind')).toBe(true);
    const scores = blind.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // a category the model has never seen: the best sellers overall
    await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { ...item, id: 'new-kind', category: 'kites' } });
    expect((await similar('new-kind', '', 3)).items).toHaveLength(3);
    expect((await shop.app.inject({ method: 'GET', url: '/api/recommendations/similar/nope' })).statusCode).toBe(404);
  });
});
