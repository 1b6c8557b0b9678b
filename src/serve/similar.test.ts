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

describe('similar products of a product newer than a model with a content part', () => {
  let hybrid: TinyShop;
  const photos = new Map<string, VisualNeighbour[]>();
  beforeAll(async () => {
    hybrid = await tinyShop({ models: ['hybrid'], deps: { photoSearch: { search: async () => [], neighbours: (id, k) => photos.get(id)?.slice(0, k) } } });
  });
  afterAll(() => hybrid.close());

  const get = async (id: string, query = ''): Promise<SimilarDto> => {
    const res = await hybrid.app.inject({ method: 'GET', url: `/api/recommendations/similar/${id}?k=10${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SimilarDto;
  };

  it('ranks by attributes and description, then blends the photos in by w', async () => {
    const src = hybrid.world.items[5]!;
    const res = await hybrid.app.inject({
      method: 'POST', url: '/api/items', headers: { 'x-api-key': hybrid.keys.seller },
      payload: { id: 'twin', title: src.title, category: src.category, price: src.price, caption: src.caption, attributes: src.attributes },
    });
    expect(res.statusCode, res.body).toBe(201);
    const byAttributes = await get('twin');
    expect(byAttributes).toMatchObject({ basis: 'attributes', visualWeight: 0 });
    // Its twin in the catalog (same attributes, title and caption) is first, at a cosine of 1.
    expect(byAttributes.items[0]).toMatchObject({ itemId: src.id, score: expect.closeTo(1, 5) });
    expect(byAttributes.items.every((it) => it.itemId !== 'twin')).toBe(true);
    const scores = byAttributes.items.map((it) => it.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const attr = new Map(byAttributes.items.map((it) => [it.itemId, it.score]));
    // With a photo in the index: (1 − w) · attribute cosine + w · image cosine.
    const far = byAttributes.items.at(-1)!.itemId;
    photos.set('twin', [{ itemId: far, similarity: 0.9 }]);
    const blended = await get('twin', '&visual=0.5');
    expect(blended).toMatchObject({ basis: 'attributes-photos', visualWeight: 0.5 });
    expect(blended.items.find((it) => it.itemId === src.id)!.score).toBeCloseTo(0.5 * attr.get(src.id)!, 5);
    expect(blended.items.find((it) => it.itemId === far)!.score).toBeCloseTo(0.5 * attr.get(far)! + 0.45, 5);
    expect((await get('twin', '&visual=1')).basis).toBe('photos');
  });
});
