import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const another = 's00004';
    expect((await feed(`shopperId=${another}&k=6&exploration=1`)).items.at(-1)).toMatchObject({ itemId: 'arrival-1' });
    // The compact slate (ids index the model's catalog table) never carries one.
    const compact = await shop.app.inject({ method: 'GET', url: `/api/recommendations/compact?shopperId=${another}&format=json` });
    expect(compact.statusCode, compact.body).toBe(200);
    expect((compact.json() as { itemIds: string[] }).itemIds).not.toContain('arrival-1');
    await addItem({ id: 'arrival-1', title: 'Linen scarf', category: category(), price: 20, attributes: { available: 'no' } });
    expect((await feed(`shopperId=${another}&k=6&exploration=1`)).items.some((it) => it.itemId === 'arrival-1')).toBe(false);
  });
});
