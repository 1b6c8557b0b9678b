import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineApiError, VitrineClient, type FeedDto } from '../client/index.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/** The typed client against the service: through inject, and over a real socket for the live stream. */
let shop: TinyShop;
let api: VitrineClient;
beforeAll(async () => {
  shop = await tinyShop();
  api = new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.writer });
});
afterAll(() => shop.close());

describe('typed client', () => {
  it('reads products and health, and maps errors to codes', async () => {
    expect((await api.health()).items).toBe(60);
    expect((await api.items({ limit: 2 })).items).toHaveLength(2);
    const err = await api.item('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VitrineApiError);
    expect(err).toMatchObject({ status: 404, code: 'UNKNOWN_ID', message: expect.stringContaining('nope') });
  });

  it('keeps the session cookie: an anonymous shopper clicks and the feed follows', async () => {
    const shopper = new VitrineClient({ fetch: injectFetch(shop.app) });
    const first = await shopper.recommendations({ k: 4 });
    expect(shopper.sessionCookie).toMatch(/^vitrine_session=anon-/);
    const ack = await shopper.sendEvent({ itemId: first.items[0]!.itemId, type: 'click' });
    expect(ack.added).toBe(1);
    const next = await shopper.recommendations({ k: 4 });
    expect(next.shopperId).toBe(first.shopperId);
    expect(next.source).toBe('history');
    expect((await shopper.session()).shopperId).toBe(first.shopperId);
    await shopper.endSession();
    expect(shopper.sessionCookie).toBeUndefined();
  });

  it('sends batches and reads them back', async () => {
    const items = shop.world.items.slice(0, 3).map((i) => i.id);
    const ack = await api.sendEvents(items.map((itemId, i) => ({ key: `batch-${i}`, shopperId: 'client-1', itemId, type: 'view' })));
    expect(ack).toEqual({ added: 3, skipped: 0, keys: ['batch-0', 'batch-1', 'batch-2'] });
    const adminApi = new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.admin });
    expect((await adminApi.shopperEvents('client-1')).events.map((e) => e.itemId)).toEqual(items);
  });

  it('fetches and decodes the compact LoRa slate: 51 bytes in EU868, shrunk to 11 in US915', async () => {
    const catalog = await api.compactCatalog();
    const eu = await api.compactSlate({ shopperId: 's00001', k: 10 }, catalog);
    expect(eu.bytes.length).toBeLessThanOrEqual(51);
    expect(eu.items).toHaveLength(10);
    expect(eu.truncated).toBe(false);
    expect(eu.itemIds!.every((id) => shop.world.items.some((i) => i.id === id))).toBe(true);
    expect(eu.scores[0]).toBe(1);
    expect(eu.airtimeMs).toBeGreaterThan(1000);
    const us = await api.compactSlate({ shopperId: 's00001', k: 10, region: 'US915', dr: 0 }, catalog);
    expect(us.bytes.length).toBeLessThanOrEqual(11);
    expect(us.truncated).toBe(true);
    expect(us.items.length).toBeGreaterThan(0);
    expect(us.items.length).toBeLessThan(10);
    const json = await api.compactSlateJson({ shopperId: 's00001', k: 10 });
    expect(json).toMatchObject({ maxBytes: 51, sf: 12, region: 'EU868', count: 10 });
    expect(json.airtime.map((a) => a.sf)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(json.airtime[5]!.ms).toBeCloseTo(json.airtimeMs, 3);
    await expect(api.compactSlate({ shopperId: 's00001', region: 'US915', dr: 7 })).rejects.toMatchObject({ status: 400 });
  });

  it('streams the live feed over a socket', async () => {
    const url = await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const live = new VitrineClient({ baseUrl: url });
    const feeds: FeedDto[] = [];
    const controller = new AbortController();
    const done = live.streamFeed({ shopperId: 's00009', k: 4, exploration: 0 }, (f) => {
      feeds.push(f);
      if (feeds.length === 2) controller.abort();
    }, controller.signal);
    for (let i = 0; i < 200 && feeds.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    const target = shop.world.items.find((it) => !shop.store.eventsOf('s00009').some((e) => e.itemId === it.id))!;
    await new VitrineClient({ baseUrl: url, apiKey: shop.keys.writer }).sendEvent({ shopperId: 's00009', itemId: target.id, type: 'cart' });
    await done;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(feeds).toHaveLength(2);
    expect(feeds[1]!.items.some((i) => i.itemId === target.id)).toBe(false);
  });
});
