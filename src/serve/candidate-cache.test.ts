import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandidateCache } from './recommend/candidates.js';
import type { FeedDto } from './schemas/recommend.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ models: ['als', 'hybrid'] });
});
afterAll(() => shop.close());

async function feed(query: string): Promise<FeedDto> {
  const res = await shop.app.inject({ method: 'GET', url: `/api/recommendations?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as FeedDto;
}

const counts = (): { hits: number; misses: number } => ({ hits: shop.app.vitrine.feeds.candidates.hits, misses: shop.app.vitrine.feeds.candidates.misses });
const slate = (f: FeedDto): unknown[] => f.items.map(({ itemId, score, position, explored }) => ({ itemId, score, position, explored }));

describe('candidate cache', () => {
  it('serves a repeat request from the kept candidates, equal bit for bit to scoring afresh', async () => {
    const q = 'shopperId=s00004&k=6&exploration=0&model=hybrid';
    const c0 = counts();
    const first = await feed(q);
    const second = await feed(q);
    expect(counts()).toEqual({ hits: c0.hits + 1, misses: c0.misses + 1 });
    expect(slate(second)).toEqual(slate(first));

    const ctx = shop.app.vitrine;
    const model = ctx.models.require('hybrid');
    const state = ctx.shoppers.get('s00004');
    const userIdx = model.bundle.users.get('s00004');
    const known = (id: string): boolean => ctx.items.has(id);
    const kept = ctx.feeds.candidates.get(model, state, userIdx, {}, 50, known);
    const fresh = new CandidateCache(false);
    const scored = fresh.get(model, state, userIdx, {}, 50, known);
    fresh.get(model, state, userIdx, {}, 50, known);
    expect(fresh.hits).toBe(0);
    expect(Array.from(kept.list.items)).toEqual(Array.from(scored.list.items));
    expect(Array.from(kept.list.scores)).toEqual(Array.from(scored.list.scores));
    expect(kept.source).toBe(scored.source);
    // the re-rankers did not write into the kept list: a third request still shows the same slate
    expect(slate(await feed(q))).toEqual(slate(first));
  });

  it('scores afresh after an event of the shopper, for other filters, for another model (keeping a few side by side), and after a catalog change', async () => {
    const id = 's00009';
    const q = `shopperId=${id}&k=5&exploration=0&diversity=0&model=als`;
    const before = await feed(q);
    let c = counts();
    const res = await shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: id, itemId: before.items[0]!.itemId, type: 'purchase' } });
    expect(res.statusCode).toBe(201);
    const after = await feed(q);
    expect(counts().misses).toBe(c.misses + 1);
    expect(after.items.map((i) => i.itemId)).not.toContain(before.items[0]!.itemId);

    c = counts();
    const category = after.items[1]!.category;
    const filtered = await feed(`${q}&category=${category}`);
    expect(filtered.items.every((i) => i.category === category)).toBe(true);
    await feed(q.replace('model=als', 'model=hybrid'));
    expect(counts()).toEqual({ hits: c.hits, misses: c.misses + 2 });
    // each of those is kept beside the first: going back to it is a hit
    await feed(q);
    await feed(`${q}&category=${category}`);
    expect(counts()).toEqual({ hits: c.hits + 2, misses: c.misses + 2 });

    // The top product becomes unavailable while the shopper's candidates are kept: it leaves the next slate.
    await feed(q);
    const top = (await feed(q)).items[0]!;
    const row = shop.store.getItem(top.itemId)!;
    const mark = (available: string) =>
      shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: row.id, title: row.title, category: row.category, attributes: { ...row.attributes, available } } });
    expect((await mark('no')).statusCode).toBeLessThan(300);
    c = counts();
    const without = await feed(q);
    expect(counts().misses).toBe(c.misses + 1);
    expect(without.items.map((i) => i.itemId)).not.toContain(top.itemId);
    expect((await mark('yes')).statusCode).toBeLessThan(300);
    expect((await feed(q)).items[0]!.itemId).toBe(top.itemId);
  });

  it('is off with candidateCache false: every request scores the catalog', async () => {
    const off = await tinyShop({ models: ['als'], deps: { config: { rateLimit: { max: 0 }, candidateCache: false } } });
    try {
      for (let r = 0; r < 3; r++) expect((await off.app.inject({ method: 'GET', url: '/api/recommendations?shopperId=s00002&k=4' })).statusCode).toBe(200);
      const m = (await off.app.inject({ method: 'GET', url: '/api/metrics/service', headers: { 'x-api-key': off.keys.admin } })).json() as { candidateCache: unknown };
      expect(m.candidateCache).toEqual({ enabled: false, hits: 0, misses: 3 });
    } finally {
      await off.close();
    }
  });
});
