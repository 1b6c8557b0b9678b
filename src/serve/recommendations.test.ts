import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAvailable } from '../data/schema.js';
import type { FeedDto } from './schemas/recommend.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ models: ['als', 'hybrid'] });
});
afterAll(() => shop.close());

async function feed(query: string, headers: Record<string, string> = {}): Promise<FeedDto> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/recommendations?${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as FeedDto;
}

const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) => shop.app.inject({ method: 'POST', url: '/api/events', headers, payload });

/** The shopper with the most events (a good test subject). */
function busiestShopper(): string {
  const counts = new Map<string, number>();
  for (let k = 0; k < shop.world.events.n; k++) {
    const s = shop.world.shoppers[shop.world.events.shopper[k]!]!.id;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe('personalised feed', () => {
  it('gives k unseen products from the fold-in of the shopper history', async () => {
    const id = busiestShopper();
    const f = await feed(`shopperId=${id}&k=8&exploration=0`);
    expect(f.items).toHaveLength(8);
    expect(f.source).toBe('history');
    expect(f.model).toBe('hybrid');
    const seen = new Set(shop.store.eventsOf(id).map((e) => e.itemId));
    for (const it of f.items) expect(seen.has(it.itemId)).toBe(false);
    expect(new Set(f.items.map((i) => i.itemId)).size).toBe(8);
    expect(f.items[0]).toMatchObject({ position: 0, title: expect.any(String), category: expect.any(String) });
  });

  it('fold-in: an event changes the next response, well within 1 s', async () => {
    const id = 's00007';
    const q = `shopperId=${id}&k=10&exploration=0&diversity=0&model=als`;
    const before = await feed(q);
    // The shopper suddenly wants a category the feed hardly shows: clicks and carts on three of its products.
    const cats = [...new Set(shop.world.items.map((it) => it.category))];
    const target = cats.sort((a, b) => before.items.filter((i) => i.category === a).length - before.items.filter((i) => i.category === b).length)[0]!;
    const picks = shop.world.items.filter((it) => it.category === target && !before.items.some((b) => b.itemId === it.id)).slice(0, 3);
    const t0 = performance.now();
    for (const it of picks) {
      expect((await post({ shopperId: id, itemId: it.id, type: 'click' }, { 'x-api-key': shop.keys.writer })).statusCode).toBe(201);
      expect((await post({ shopperId: id, itemId: it.id, type: 'add-to-cart' }, { 'x-api-key': shop.keys.writer })).statusCode).toBe(201);
    }
    const after = await feed(q);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(after.items.map((i) => i.itemId)).not.toEqual(before.items.map((i) => i.itemId));
    for (const it of picks) expect(after.items.some((a) => a.itemId === it.id)).toBe(false);
    const share = (f: FeedDto): number => f.items.filter((i) => i.category === target).length;
    expect(share(after)).toBeGreaterThan(share(before));
  });

  it('identifies an anonymous shopper by a session cookie; their events personalise the feed', async () => {
    const first = await shop.app.inject({ method: 'GET', url: '/api/recommendations?k=5' });
    expect(first.statusCode).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^vitrine_session=anon-/);
    expect((first.json() as FeedDto).source).toBe('fallback');
    const item = (first.json() as FeedDto).items[0]!.itemId;
    expect((await post({ itemId: item, type: 'click' }, { cookie })).statusCode).toBe(201);
    const second = await feed('k=5', { cookie });
    expect(second.shopperId).toBe((first.json() as FeedDto).shopperId);
    expect(second.source).toBe('history');
    expect(second.items.some((i) => i.itemId === item)).toBe(false);
    // a session may not post events for someone else; a forged cookie is a new anonymous session
    expect((await post({ shopperId: 's00001', itemId: item, type: 'click' }, { cookie })).statusCode).toBe(403);
    const forged = await shop.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: 'vitrine_session=s00001.forged' } });
    expect(forged.json()).toEqual({ shopperId: null, known: false });
  });

  it('starts a session as a known shopper', async () => {
    const res = await shop.app.inject({ method: 'POST', url: '/api/session', payload: { shopperId: 's00003' } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    expect((await feed('k=3', { cookie })).shopperId).toBe('s00003');
    expect((await shop.app.inject({ method: 'POST', url: '/api/session', payload: { shopperId: 'nobody' } })).statusCode).toBe(404);
  });

  it('starts an anonymous session from a bare POST (no body) as from {}', async () => {
    for (const payload of [undefined, {}]) {
      const res = await shop.app.inject({ method: 'POST', url: '/api/session', ...(payload === undefined ? {} : { payload }) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ shopperId: expect.stringMatching(/^anon-/), known: false });
      expect(String(res.headers['set-cookie'])).toMatch(/^vitrine_session=/);
    }
  });

  it('filters by category, price and exclusions', async () => {
    const id = 's00002';
    const cat = shop.world.items[0]!.category;
    const byCat = await feed(`shopperId=${id}&category=${cat}&k=5`);
    expect(byCat.items.length).toBeGreaterThan(0);
    for (const it of byCat.items) expect(it.category).toBe(cat);
    const prices = shop.world.items.map((i) => i.price!).sort((a, b) => a - b);
    const mid = prices[Math.floor(prices.length / 2)]!;
    for (const it of (await feed(`shopperId=${id}&maxPrice=${mid}&k=10`)).items) expect(it.price!).toBeLessThanOrEqual(mid);
    const plain = await feed(`shopperId=${id}&k=5&exploration=0`);
    const excluded = plain.items.slice(0, 2).map((i) => i.itemId);
    const without = await feed(`shopperId=${id}&k=5&exploration=0&exclude=${excluded.join(',')}`);
    for (const x of excluded) expect(without.items.some((i) => i.itemId === x)).toBe(false);
    expect((await shop.app.inject({ method: 'GET', url: `/api/recommendations?shopperId=${id}&minPrice=50&maxPrice=10` })).statusCode).toBe(400);
  });

  it('balances the slate: a size limit and at most n per category', async () => {
    const f = await feed('shopperId=s00004&k=6&maxPerCategory=1&diversity=0.5');
    const cats = f.items.map((i) => i.category);
    expect(new Set(cats).size).toBe(cats.length);
    expect((await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00004&k=0' })).statusCode).toBe(400);
    expect((await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00004&k=1000' })).statusCode).toBe(400);
    expect((await shop.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00004&diversity=2' })).statusCode).toBe(400);
  });

  it('explores when asked and marks exploratory picks', async () => {
    const greedy = await feed('shopperId=s00005&k=6&exploration=0&diversity=0&log=false');
    expect(greedy.items.every((i) => !i.explored)).toBe(true);
    let explored = 0;
    for (let r = 0; r < 5; r++) explored += (await feed('shopperId=s00005&k=6&exploration=1&diversity=0&log=false')).items.filter((i) => i.explored).length;
    expect(explored).toBeGreaterThan(0);
  });

  it('logs impressions so CTR can be computed', async () => {
    const f = await feed('shopperId=s00006&k=4&exploration=0');
    await post({ shopperId: 's00006', itemId: f.items[0]!.itemId, type: 'click' }, { 'x-api-key': shop.keys.writer });
    await shop.app.vitrine.impressions.flush();
    const rows = shop.store.businessCounts({ from: 0, to: Date.now() + 1000, attributionWindowMs: 60_000, byDay: false });
    const row = rows.find((r) => r.variant === 'hybrid')!;
    expect(row.impressions).toBeGreaterThanOrEqual(4);
    expect(row.clicks).toBeGreaterThanOrEqual(1);
  });
});

describe('similar products', () => {
  it('returns products like one product, not itself', async () => {
    const id = shop.world.items[5]!.id;
    const res = await shop.app.inject({ method: 'GET', url: `/api/recommendations/similar/${id}?k=5&model=als` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { itemId: string; score: number }[] };
    expect(body.items).toHaveLength(5);
    expect(body.items.some((i) => i.itemId === id)).toBe(false);
    for (let i = 1; i < body.items.length; i++) expect(body.items[i]!.score).toBeLessThanOrEqual(body.items[i - 1]!.score);
  });
});

describe('live feed (SSE)', () => {
  it('pushes a new feed after the shopper acts', async () => {
    const id = 's00008';
    const streaming = shop.app.inject({ method: 'GET', url: `/api/recommendations/stream?shopperId=${id}&k=5&exploration=0&maxEvents=2` });
    for (let i = 0; i < 100 && shop.app.vitrine.hub.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(shop.app.vitrine.hub.size).toBe(1);
    const t0 = performance.now();
    const target = shop.world.items.find((it) => !shop.store.eventsOf(id).some((e) => e.itemId === it.id))!;
    await post({ shopperId: id, itemId: target.id, type: 'purchase' }, { 'x-api-key': shop.keys.writer });
    const res = await streaming;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const feeds = res.body
      .split('\n\n')
      .filter((b) => b.startsWith('event: feed'))
      .map((b) => JSON.parse(b.split('\ndata: ')[1]!) as FeedDto);
    expect(feeds).toHaveLength(2);
    expect(feeds[1]!.slateId).not.toBe(feeds[0]!.slateId);
    expect(feeds[1]!.items.some((i) => i.itemId === target.id)).toBe(false);
    expect(shop.app.vitrine.hub.size).toBe(0);
  });

  it('answers a bad stream request with a JSON error, not a stream', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/recommendations/stream?shopperId=nobody' });
    expect(res.statusCode).toBe(404);
  });
});

describe('unavailable products', () => {
  it('are never recommended, in the feed or among similar products, until marked available again', async () => {
    const top = (await feed('shopperId=s00004&k=5&exploration=0')).items[0]!;
    const row = shop.store.getItem(top.itemId)!;
    const mark = (available: string) =>
      shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: row.id, title: row.title, category: row.category, attributes: { ...row.attributes, available } } });
    expect((await mark('no')).statusCode).toBe(200);
    const without = await feed('shopperId=s00004&k=59&exploration=0');
    expect(without.items.map((i) => i.itemId)).not.toContain(top.itemId);
    const other = shop.world.items.find((it) => it.id !== top.itemId)!.id;
    const similar = (await shop.app.inject({ method: 'GET', url: `/api/recommendations/similar/${other}?k=59` })).json() as { items: { itemId: string }[] };
    expect(similar.items.map((i) => i.itemId)).not.toContain(top.itemId);
    expect((await mark('yes')).statusCode).toBe(200);
    expect((await feed('shopperId=s00004&k=5&exploration=0')).items[0]!.itemId).toBe(top.itemId);
  });

  it('are the ones whose attribute "available" is 0, "0", "no" or "false"', () => {
    for (const v of [0, '0', 'no', 'False', ' false ']) expect(isAvailable({ attributes: { available: v } })).toBe(false);
    for (const v of [1, '1', 'yes', 'true', 'in stock']) expect(isAvailable({ attributes: { available: v } })).toBe(true);
    expect(isAvailable({ attributes: {} })).toBe(true);
  });
});
