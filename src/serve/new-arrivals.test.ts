import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../data/schema.js';
import type { FeedDto } from './schemas/recommend.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * New arrivals in the feed: a product a seller adds after the model was
 * trained has no score, so the feed explores it: at the exploration rate it
 * takes the slate's last place, within the request's filters, never for a
 * shopper who has already had it, never when unavailable.
 */
let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ models: ['als'], deps: { config: { rateLimit: { max: 0 } } } });
});
afterAll(() => shop.close());

async function feed(query: string): Promise<FeedDto> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/recommendations?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as FeedDto;
}

const addItem = async (item: Record<string, unknown>): Promise<void> => {
  const res = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: item });
  expect(res.statusCode, res.body).toBeLessThan(300); // 201 added, 200 updated
};

describe('new arrivals in the feed', () => {
  const shopper = 's00003';
  const category = (): string => shop.world.items[0]!.category;
  const other = (): string => shop.world.items.find((it) => it.category !== category())!.category;

  it('shows no product the model does not know while there is none, and never at exploration 0', async () => {
    const f = await feed(`shopperId=${shopper}&k=6&exploration=1`);
    expect(f.items.some((it) => it.newArrival === true)).toBe(false);
    await addItem({ id: 'arrival-1', title: 'Linen scarf', category: category(), price: 20, attributes: {} });
    for (let r = 0; r < 5; r++) expect((await feed(`shopperId=${shopper}&k=6&exploration=0`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
  });

  it('puts a new product in the last place at the exploration rate, within the filters', async () => {
    const f = await feed(`shopperId=${shopper}&k=6&exploration=1`);
    expect(f.items).toHaveLength(6);
    expect(f.items[5]).toMatchObject({ itemId: 'arrival-1', position: 5, score: 0, explored: true, newArrival: true, title: 'Linen scarf' });
    expect(f.items[5]!.match).toBeUndefined(); // ALS has no content part: a uniform draw, no taste match
    expect(f.items.slice(0, 5).every((it) => it.newArrival === undefined)).toBe(true);
    // Within the filters: another category or a price range it misses leaves it out; its own category keeps it.
    expect((await feed(`shopperId=${shopper}&k=6&exploration=1&category=${other()}`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
    expect((await feed(`shopperId=${shopper}&k=6&exploration=1&maxPrice=10`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
    expect((await feed(`shopperId=${shopper}&k=6&exploration=1&category=${category()}`)).items.at(-1)).toMatchObject({ itemId: 'arrival-1', newArrival: true });
    expect((await feed(`shopperId=${shopper}&k=6&exploration=1&exclude=arrival-1`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
    // At a rate of 0.5 it is in some slates and not in others.
    const shown: boolean[] = [];
    for (let r = 0; r < 40; r++) shown.push((await feed(`shopperId=${shopper}&k=6&exploration=0.5`)).items.some((it) => it.itemId === 'arrival-1'));
    expect(shown.filter(Boolean).length).toBeGreaterThan(5);
    expect(shown.filter(Boolean).length).toBeLessThan(35);
  });

  it('leaves it out for a shopper who has had it, and while it is unavailable', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: shopper, itemId: 'arrival-1', type: 'click' } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect((await feed(`shopperId=${shopper}&k=6&exploration=1`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
    // For another shopper the click gives it an ALS vector: ranked into the slate where it outscores a product there, else explored in the last place.
    const another = 's00004';
    const shown = (await feed(`shopperId=${another}&k=6&exploration=1`)).items.find((it) => it.itemId === 'arrival-1');
    expect(shown).toMatchObject({ newArrival: true });
    if (shown!.explored) expect(shown!.position).toBe(5);
    // The compact slate (ids index the model's catalog table) never carries one.
    const compact = await shop.app.inject({ method: 'GET', url: `/api/recommendations/compact?shopperId=${another}&format=json` });
    expect(compact.statusCode, compact.body).toBe(200);
    expect((compact.json() as { itemIds: string[] }).itemIds).not.toContain('arrival-1');
    await addItem({ id: 'arrival-1', title: 'Linen scarf', category: category(), price: 20, attributes: { available: 'no' } });
    expect((await feed(`shopperId=${another}&k=6&exploration=1`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
  });
});

describe('new arrivals by taste (a model with a content part)', () => {
  let hybrid: TinyShop;
  beforeAll(async () => {
    hybrid = await tinyShop({ models: ['hybrid'], deps: { config: { rateLimit: { max: 0 } } } });
  });
  afterAll(() => hybrid.close());

  const post = async (url: string, key: string, payload: Record<string, unknown>): Promise<void> => {
    const res = await hybrid.app.inject({ method: 'POST', url, headers: { 'x-api-key': key }, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };

  it("ranks the new product that fits a shopper's taste into their slate by the model's own score, and explores the others by taste", async () => {
    const items = hybrid.world.items;
    const [c1, c2] = [...new Set(items.map((it) => it.category))];
    const of = (c: string): typeof items => items.filter((it) => it.category === c);
    // Two shoppers with opposite tastes: three clicks each in one category.
    for (const [shopper, c] of [['taste-a', c1!], ['taste-b', c2!]] as const) {
      for (const it of of(c).slice(0, 3)) await post('/api/events', hybrid.keys.writer, { shopperId: shopper, itemId: it.id, type: 'click' });
    }
    // Four new products, each a copy of a product of one of the categories (attributes, caption, price), unknown to the model.
    for (const [id, c, n] of [['new-a1', c1!, 3], ['new-a2', c1!, 4], ['new-b1', c2!, 3], ['new-b2', c2!, 4]] as const) {
      const src = of(c)[n]!;
      await post('/api/items', hybrid.keys.seller, { id, title: src.title, category: src.category, price: src.price, caption: src.caption, attributes: src.attributes });
    }
    const feedOf = async (shopper: string, exploration: number): Promise<FeedDto> => {
      const res = await hybrid.app.inject({ method: 'GET', url: `/api/recommendations?shopperId=${shopper}&k=6&exploration=${exploration}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as FeedDto;
    };
    for (const [shopper, mine, theirs] of [['taste-a', 'new-a', 'new-b'], ['taste-b', 'new-b', 'new-a']] as const) {
      // Without exploration: one new product of their taste, ranked by its score among the model's products.
      const plain = await feedOf(shopper, 0);
      const ranked = plain.items.filter((it) => it.newArrival === true);
      expect(ranked, JSON.stringify(plain.items)).toHaveLength(1);
      const at = plain.items.indexOf(ranked[0]!);
      expect(ranked[0]).toMatchObject({ explored: false, itemId: expect.stringMatching(new RegExp(`^${mine}`)) });
      expect(ranked[0]!.match).toBeGreaterThan(0.3);
      if (at + 1 < plain.items.length) expect(ranked[0]!.score).toBeGreaterThanOrEqual(plain.items[at + 1]!.score);
      if (at > 0) expect(ranked[0]!.score).toBeLessThanOrEqual(plain.items[at - 1]!.score);
      // Exploring: the last place goes to another new product, mostly their taste's other one.
      const picks: { itemId: string; match?: number }[] = [];
      for (let r = 0; r < 20; r++) {
        const last = (await feedOf(shopper, 1)).items.at(-1)!;
        expect(last).toMatchObject({ newArrival: true, explored: true, score: 0 });
        expect(last.itemId).not.toBe(ranked[0]!.itemId);
        picks.push(last);
      }
      const mineCount = picks.filter((p) => p.itemId.startsWith(mine)).length;
      expect(mineCount, `${shopper}: ${mineCount} of 20 were ${mine}*`).toBeGreaterThanOrEqual(16);
      const matchOf = (prefix: string): number | undefined => picks.find((p) => p.itemId.startsWith(prefix))?.match;
      expect(matchOf(mine)).toBeGreaterThan(0.3);
      const other = matchOf(theirs);
      if (other !== undefined) expect(other).toBeLessThan(matchOf(mine)!);
    }
  });
});

describe('new arrivals ALS (and a hybrid over ALS) learn from their first interactions', () => {
  let cf: TinyShop;
  beforeAll(async () => {
    cf = await tinyShop({ models: ['als', 'hybrid'] });
  });
  afterAll(() => cf.close());

  const slate = async (shopperId: string, model: string): Promise<FeedDto> => {
    const res = await cf.app.inject({ method: 'GET', url: `/api/recommendations?shopperId=${shopperId}&k=8&exploration=0&diversity=0&model=${model}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FeedDto;
  };

  for (const [model, shopper] of [['als', 's00005'], ['hybrid', 's00011']] as const) {
    it(`${model}: ranks a new product by the item vector its interactions imply, next to a product with the same shoppers and attributes, before any retraining`, async () => {
      const id = `fold-${model}`;
      // The shopper's best product that others have interacted with (the hybrid also ranks products nobody has).
      const top = (await slate(shopper, model)).items.slice(0, -1).find((it) => new Set(cf.store.interactionsWith(it.itemId).shopperIds).size >= 2)!;
      expect(top).toBeDefined();
      const { id: _id, image: _image, ...row } = cf.store.getItem(top.itemId)!;
      const add = await cf.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': cf.keys.seller }, payload: { ...row, id } });
      expect(add.statusCode, add.body).toBeLessThan(300);
      const before = (await slate(shopper, model)).items.find((it) => it.itemId === id);
      // ALS cannot score it while nobody has touched it (it is only explored, never at exploration 0); the hybrid places it by content alone.
      if (model === 'als') expect(before).toBeUndefined();

      // The shoppers who had the top product have the new one too, with the same events.
      const { shopperIds, types } = cf.store.interactionsWith(top.itemId);
      expect(shopperIds.length).toBeGreaterThan(0);
      expect(shopperIds).not.toContain(shopper);
      const events = shopperIds.map((s, k) => ({ shopperId: s, itemId: id, type: EVENT_TYPES[types[k]!]! }));
      const res = await cf.app.inject({ method: 'POST', url: '/api/events/batch', headers: { 'x-api-key': cf.keys.writer }, payload: { events } });
      expect(res.statusCode, res.body).toBe(201);

      // Its folded-in vector solves the same system as ALS's last item step for the top product: it scores about the same, and takes the place next to it.
      const after = await slate(shopper, model);
      const at = after.items.findIndex((it) => it.itemId === id);
      expect(at, JSON.stringify(after.items)).toBeGreaterThanOrEqual(0);
      expect(after.items[at]).toMatchObject({ newArrival: true, explored: false });
      const mate = after.items.find((it) => it.itemId === top.itemId)!;
      expect(Math.abs(after.items[at]!.score - mate.score)).toBeLessThan(0.1 * Math.abs(mate.score));
      expect(Math.abs(at - after.items.indexOf(mate))).toBe(1);
      // (the hybrid's score now counts the ALS part, w = n / (n + shrinkage), not its content part alone)
      if (before !== undefined) expect(Math.abs(after.items[at]!.score - before.score)).toBeGreaterThan(1e-3);

      // Not for everyone: it enters only the slates where it outscores what is there.
      let with_ = 0;
      for (const s of cf.world.shoppers) if ((await slate(s.id, model)).items.some((it) => it.itemId === id)) with_++;
      expect(with_).toBeGreaterThan(0);
      expect(with_).toBeLessThan(cf.world.shoppers.length - shopperIds.length);
    });
  }
});
