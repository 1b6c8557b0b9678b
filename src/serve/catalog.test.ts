import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/** Products, shoppers and events through app.inject(). */
let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop();
});
afterAll(() => shop.close());

const code = (res: { json(): unknown }): string => (res.json() as { error: { code: string } }).error.code;

describe('products', () => {
  it('lists, pages, reads and filters by category', async () => {
    const page = (await shop.app.inject({ method: 'GET', url: '/api/items?offset=10&limit=5' })).json() as { items: { id: string }[]; total: number };
    expect(page.total).toBe(60);
    expect(page.items.map((i) => i.id)).toEqual(shop.world.items.slice(10, 15).map((i) => i.id));
    const cat = shop.world.items[0]!.category;
    const byCat = (await shop.app.inject({ method: 'GET', url: `/api/items?category=${cat}&limit=100` })).json() as { items: { category: string }[] };
    expect(byCat.items.every((i) => i.category === cat)).toBe(true);
    const one = await shop.app.inject({ method: 'GET', url: `/api/items/${shop.world.items[3]!.id}` });
    expect(one.json()).toMatchObject({ id: shop.world.items[3]!.id, title: shop.world.items[3]!.title });
    expect((await shop.app.inject({ method: 'GET', url: '/api/items?limit=0' })).statusCode).toBe(400);
    const cats = (await shop.app.inject({ method: 'GET', url: '/api/categories' })).json() as { categories: { count: number }[] };
    expect(cats.categories.reduce((s, c) => s + c.count, 0)).toBe(60);
  });

  it('sellers add and update products; writers may not', async () => {
    const item = { id: 'new-1', title: 'Linen scarf', category: shop.world.items[0]!.category, price: 19.5, attributes: { primaryColour: 'red' } };
    const denied = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.writer }, payload: item });
    expect(denied.statusCode).toBe(403);
    const added = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: item });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ added: 1, updated: 0 });
    const updated = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: [{ ...item, price: 15 }] });
    expect(updated.json()).toEqual({ added: 0, updated: 1 });
    expect(((await shop.app.inject({ method: 'GET', url: '/api/items/new-1' })).json() as { price: number }).price).toBe(15);
    // an update keeps the optional fields it leaves out; an explicit null price clears it
    const stamped = { ...item, id: 'new-2', caption: 'soft linen', createdAt: 1_700_000_000_000 };
    await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: stamped });
    await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: 'new-2', title: 'Linen scarf, long', category: item.category } });
    expect((await shop.app.inject({ method: 'GET', url: '/api/items/new-2' })).json()).toMatchObject({ title: 'Linen scarf, long', caption: 'soft linen', price: 19.5, attributes: { primaryColour: 'red' }, createdAt: 1_700_000_000_000 });
    await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: 'new-2', title: 'Linen scarf, long', category: item.category, price: null, attributes: {} } });
    expect(shop.store.getItem('new-2')).toMatchObject({ price: null, attributes: {}, caption: 'soft linen' });
    // a product newer than the model, without a photo: similar items are its category's best sellers, and say so
    const similar = await shop.app.inject({ method: 'GET', url: '/api/recommendations/similar/new-1' });
    expect(similar.statusCode).toBe(200);
    expect(similar.json()).toMatchObject({ basis: 'category', visualWeight: 0 });
    const bad = await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: 'x', category: 'c' } });
    expect(bad.statusCode).toBe(400);
  });

  it('404s an image that is missing', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/items/new-1/image' });
    expect(res.statusCode).toBe(404);
    expect(code(res)).toBe('FILE_NOT_FOUND');
  });
});

describe('shoppers', () => {
  it('admins read shoppers and their events; writers add them', async () => {
    expect((await shop.app.inject({ method: 'GET', url: '/api/shoppers' })).statusCode).toBe(401);
    const list = (await shop.app.inject({ method: 'GET', url: '/api/shoppers?limit=3', headers: { 'x-api-key': shop.keys.admin } })).json() as { shoppers: { id: string }[] };
    expect(list.shoppers).toHaveLength(3);
    const events = (await shop.app.inject({ method: 'GET', url: '/api/shoppers/s00001/events', headers: { 'x-api-key': shop.keys.admin } })).json() as { events: unknown[] };
    expect(events.events.length).toBe(shop.store.eventsOf('s00001').length);
    expect((await shop.app.inject({ method: 'GET', url: '/api/shoppers/nobody', headers: { 'x-api-key': shop.keys.admin } })).statusCode).toBe(404);
    const added = await shop.app.inject({ method: 'POST', url: '/api/shoppers', headers: { 'x-api-key': shop.keys.writer }, payload: { id: 'walk-in', attributes: { region: 'north' } } });
    expect(added.json()).toEqual({ added: 1, updated: 0 });
    expect(shop.store.getShopper('walk-in')?.attributes).toEqual({ region: 'north' });
  });
});

describe('events', () => {
  const item = (): string => shop.world.items[7]!.id;

  it('a 201 means the event is stored; the same key again is skipped, not added twice', async () => {
    const before = shop.store.counts().events;
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { key: 'k-1', shopperId: 's00010', itemId: item(), type: 'add-to-cart' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ added: 1, skipped: 0, keys: ['k-1'] });
    expect(shop.store.countEventKeys(['k-1'])).toBe(1);
    expect(shop.store.eventsOf('s00010').find((e) => e.key === 'k-1')).toMatchObject({ type: 'cart', price: shop.world.items[7]!.price });
    const again = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { key: 'k-1', shopperId: 's00010', itemId: item(), type: 'add-to-cart' } });
    expect(again.json()).toMatchObject({ added: 0, skipped: 1 });
    expect(shop.store.counts().events).toBe(before + 1);
  });

  it('keeps a null as null and a 0 as 0 (no type coercion between them)', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { key: 'k-null', shopperId: 's00012', itemId: item(), type: 'view', sessionId: null, price: 0 } });
    expect(res.statusCode).toBe(201);
    expect(shop.store.eventsOf('s00012').find((e) => e.key === 'k-null')).toMatchObject({ sessionId: null, price: 0 });
    const free = { id: 'free-1', title: 'Free sample', category: shop.world.items[0]!.category, price: 0, createdAt: null };
    expect((await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: free })).statusCode).toBe(201);
    expect(shop.store.getItem('free-1')).toMatchObject({ price: 0, createdAt: null });
  });

  it('a batch is one transaction: an unknown product rejects all of it', async () => {
    const before = shop.store.counts().events;
    const events = [
      { shopperId: 's00011', itemId: item(), type: 'view' },
      { shopperId: 's00011', itemId: 'no-such-product', type: 'click' },
    ];
    const res = await shop.app.inject({ method: 'POST', url: '/api/events/batch', headers: { 'x-api-key': shop.keys.writer }, payload: { events } });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(/event 1: unknown product "no-such-product"/);
    expect(shop.store.counts().events).toBe(before);
    const ok = await shop.app.inject({ method: 'POST', url: '/api/events/batch', headers: { 'x-api-key': shop.keys.writer }, payload: { events: [events[0], { ...events[0], type: 'purchase', ts: 1_767_225_600_000 }] } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ added: 2, skipped: 0 });
    expect(shop.store.counts().events).toBe(before + 2);
  });

  it('group commit: concurrent single events share a transaction, each request gets its own counts', async () => {
    const before = shop.store.counts().events;
    const sends = Array.from({ length: 20 }, (_, i) =>
      shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { key: `g-${i % 15}`, shopperId: `s000${10 + (i % 5)}`, itemId: item(), type: 'view' } }),
    );
    const replies = (await Promise.all(sends)).map((r) => r.json() as { added: number; skipped: number });
    expect(replies.reduce((s, r) => s + r.added, 0)).toBe(15);
    expect(replies.reduce((s, r) => s + r.skipped, 0)).toBe(5);
    expect(shop.store.counts().events).toBe(before + 15);
    expect(shop.store.countEventKeys(Array.from({ length: 15 }, (_, i) => `g-${i}`))).toBe(15);
  });

  it('rejects bad events with the field named', async () => {
    const h = { 'x-api-key': shop.keys.writer };
    const cases: [unknown, number, RegExp][] = [
      [{ shopperId: 's1', itemId: item(), type: 'teleport' }, 400, /unknown type "teleport"/],
      [{ itemId: item(), type: 'view' }, 400, /shopperId is missing/],
      [{ shopperId: 's1', itemId: item(), type: 'view', value: -2 }, 400, /value/],
      [{ shopperId: 's1', itemId: item(), type: 'view', colour: 'red' }, 400, /colour|additional/],
    ];
    for (const [payload, status, msg] of cases) {
      const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: h, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect((res.json() as { error: { message: string } }).error.message).toMatch(msg);
    }
    const empty = await shop.app.inject({ method: 'POST', url: '/api/events/batch', headers: h, payload: { events: [] } });
    expect(empty.statusCode).toBe(400);
    const anon = await shop.app.inject({ method: 'POST', url: '/api/events/batch', payload: { events: [{ shopperId: 's1', itemId: item(), type: 'view' }] } });
    expect(anon.statusCode).toBe(401);
  });
});
