import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineClient } from '../client/client.js';
import { hugeHeaderPng, noiseImage, productImage } from '../vision/test-utils/images.js';
import type { PhotoSearch } from './photo-search.js';
import { UPLOADS_DIR } from './product-images.js';
import type { ItemImageResultDto } from './schemas/catalog.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * PUT /api/items/:id/image: a seller sets a product's photo. A bad upload
 * (wrong type, corrupt, too many bytes or pixels, no key) changes nothing;
 * a good one is stored under the images folder, served back byte for byte,
 * and handed to the photo search index; a replaced upload is deleted, an
 * imported image never.
 */
let shop: TinyShop;
const indexed: { itemId: string; bytes: number }[] = [];
const stub: PhotoSearch = {
  search: async () => [],
  addProduct: async (itemId, image) => {
    indexed.push({ itemId, bytes: image.length });
    return true;
  },
};
const LIMIT = 100_000;

beforeAll(async () => {
  shop = await tinyShop({ images: true, deps: { photoSearch: stub, config: { rateLimit: { max: 0 }, uploadLimit: LIMIT } } });
});
afterAll(() => shop.close());

const imagesDir = (): string => join(shop.dir, 'images');
const uploads = (): string[] => (existsSync(join(imagesDir(), UPLOADS_DIR)) ? readdirSync(join(imagesDir(), UPLOADS_DIR)) : []);

async function put(id: string, body: Buffer | string, type = 'image/png', key: string | null = shop.keys.seller) {
  return shop.app.inject({ method: 'PUT', url: `/api/items/${encodeURIComponent(id)}/image`, headers: { 'content-type': type, ...(key === null ? {} : { 'x-api-key': key }) }, payload: body });
}

describe('PUT /api/items/:id/image', () => {
  it('refuses a missing or too weak key, an unknown product and every bad upload, writing nothing', async () => {
    const id = shop.world.items[0]!.id;
    const before = shop.store.getItem(id)!.image;
    const png = await productImage([200, 30, 40], 'disc', 40, 'png');
    const cut = await noiseImage(5, 64, 64, 'jpeg');
    const cases: [Awaited<ReturnType<typeof put>>, number, string][] = [
      [await put(id, png, 'image/png', null), 401, 'UNAUTHORIZED'],
      [await put(id, png, 'image/png', shop.keys.writer), 403, 'FORBIDDEN'],
      [await put('no-such-product', png), 404, 'UNKNOWN_ID'],
      [await put(id, 'just text', 'text/plain'), 415, 'UNKNOWN_FORMAT'],
      [await put(id, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), 'image/png'), 415, 'UNKNOWN_FORMAT'],
      [await put(id, cut.subarray(0, cut.length >> 1), 'image/jpeg'), 422, 'CORRUPT_IMAGE'],
      [await put(id, Buffer.alloc(0), 'image/png'), 422, 'CORRUPT_IMAGE'],
      [await put(id, Buffer.alloc(LIMIT + 1, 1), 'image/png'), 413, 'PAYLOAD_TOO_LARGE'],
      [await put(id, hugeHeaderPng(20_000, 20_000), 'image/png'), 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [res, status, code] of cases) {
      expect(res.statusCode, res.body).toBe(status);
      expect((res.json() as { error: { code: string } }).error.code, res.body).toBe(code);
    }
    expect(uploads()).toEqual([]);
    expect(shop.store.getItem(id)!.image).toBe(before);
    expect(indexed).toEqual([]);
  });

  it('stores a good photo, serves it back, indexes it, and deletes it when replaced, leaving imported images alone', async () => {
    const item = shop.world.items[1]!;
    const imported = join(imagesDir(), shop.store.getItem(item.id)!.image!);
    expect(existsSync(imported)).toBe(true);
    const png = await productImage([30, 50, 210], 'bar', 40, 'png');
    const res = await put(item.id, png);
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json() as ItemImageResultDto;
    expect(first).toEqual({ itemId: item.id, image: `/api/items/${item.id}/image`, format: 'png', width: 40, height: 40, bytes: png.length, indexed: true });
    const stored = shop.store.getItem(item.id)!.image!;
    expect(stored.startsWith(`${UPLOADS_DIR}/`)).toBe(true);
    expect(existsSync(imported)).toBe(true); // the imported file stays
    const served = await shop.app.inject({ method: 'GET', url: `/api/items/${item.id}/image` });
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.rawPayload, png)).toBe(0);
    expect(indexed).toEqual([{ itemId: item.id, bytes: png.length }]);

    const jpeg = await noiseImage(2, 48, 32, 'jpeg');
    const again = await put(item.id, jpeg, 'image/jpeg');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ format: 'jpeg', width: 48, height: 32 });
    const replaced = shop.store.getItem(item.id)!.image!;
    expect(replaced).not.toBe(stored);
    expect(existsSync(join(imagesDir(), stored))).toBe(false);
    expect(readFileSync(join(imagesDir(), replaced)).equals(jpeg)).toBe(true);
    expect(uploads()).toHaveLength(1);
    // the in-memory catalog (what the API lists) follows
    const listed = await shop.app.inject({ method: 'GET', url: `/api/items/${item.id}` });
    expect(listed.json()).toMatchObject({ id: item.id, title: item.title, image: `/api/items/${item.id}/image` });
  });

  it('is in the typed client', async () => {
    const client = new VitrineClient({ baseUrl: 'http://localhost', apiKey: shop.keys.seller, fetch: injectFetch(shop.app) });
    const webp = await productImage([40, 170, 60], 'disc', 24, 'webp');
    const r = await client.putItemImage(shop.world.items[2]!.id, webp, 'image/webp');
    expect(r).toMatchObject({ format: 'webp', width: 24, indexed: true });
    await expect(client.putItemImage('nope', webp, 'image/webp')).rejects.toMatchObject({ code: 'UNKNOWN_ID' });
  });
});
