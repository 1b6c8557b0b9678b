import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyReport, type Item } from '../data/schema.js';
import { openStore } from '../store/index.js';
import { tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * Products another process writes to the store while the server runs
 * (`vitrine import`) become known to the server at its next look; the
 * server's own writes never trigger a reload, and a commit that changed no
 * product leaves the models' columns (and the kept candidates) alone.
 */
let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ deps: { config: { rateLimit: { max: 0 }, catalogReloadMs: 0 } } });
});
afterAll(() => shop.close());

const view = (itemId: string) =>
  shop.app.inject({ method: 'POST', url: '/api/events', headers: { 'x-api-key': shop.keys.writer }, payload: { shopperId: 's00001', itemId, type: 'view' } });

describe('the catalog follows the store', () => {
  it('does not reload for the server\'s own writes', async () => {
    const watch = shop.app.vitrine.storeWatch;
    expect(await watch.check()).toBeNull();
    await shop.app.inject({ method: 'POST', url: '/api/items', headers: { 'x-api-key': shop.keys.seller }, payload: { id: 'api-1', title: 'Via the API', category: 'x' } });
    expect((await view('api-1')).statusCode).toBe(201);
    expect(await watch.check()).toBeNull();
  });

  it('picks up products another process imported, after which their events are accepted', async () => {
    const item: Item = { id: 'imported-1', title: 'Imported while serving', category: shop.world.items[0]!.category, attributes: {}, caption: '', price: 12, image: null, createdAt: null };
    const told: number[] = [];
    shop.app.vitrine.storeWatch.onProducts((n) => told.push(n));
    const other = openStore(join(shop.dir, 'vitrine.db'));
    other.importBatch({ items: [item], shoppers: [], events: [], report: emptyReport('test', 'test') });
    other.close();
    expect((await view('imported-1')).statusCode).toBe(404);
    expect(await shop.app.vitrine.storeWatch.check()).toBe(1);
    expect(told).toEqual([1]);
    expect(shop.app.vitrine.items.get('imported-1')).toMatchObject({ title: 'Imported while serving', price: 12 });
    expect((await view('imported-1')).statusCode).toBe(201);
    const listed = await shop.app.inject({ method: 'GET', url: '/api/items/imported-1' });
    expect(listed.statusCode).toBe(200);
    expect(await shop.app.vitrine.storeWatch.check()).toBeNull();
  });

  it('keeps the columns (and the kept candidates) when another connection committed but no product changed', async () => {
    const watch = shop.app.vitrine.storeWatch;
    const model = shop.app.vitrine.models.active;
    const columns = model.columnsVersion;
    const catalog = shop.app.vitrine.items.version;
    const other = openStore(join(shop.dir, 'vitrine.db'));
    other.setMeta('note', 'written by another process');
    // the same product, written again unchanged
    other.importBatch({ items: [shop.app.vitrine.items.get('imported-1')!], shoppers: [], events: [], report: emptyReport('test', 'test') });
    other.close();
    expect(await watch.check()).toBe(0);
    expect(model.columnsVersion).toBe(columns);
    expect(shop.app.vitrine.items.version).toBe(catalog);
    // a changed price is a change
    const again = openStore(join(shop.dir, 'vitrine.db'));
    again.importBatch({ items: [{ ...shop.app.vitrine.items.get('imported-1')!, price: 13 }], shoppers: [], events: [], report: emptyReport('test', 'test') });
    again.close();
    expect(await watch.check()).toBe(0);
    expect(model.columnsVersion).toBe(columns + 1);
    expect(shop.app.vitrine.items.get('imported-1')?.price).toBe(13);
  });
});
