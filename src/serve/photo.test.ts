import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail } from '../core/errors.js';
import { VitrineApiError, VitrineClient } from '../client/index.js';
import type { PhotoSearch, PhotoSearchQuery } from './photo-search.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * "More like this photo" with a fake vision dependency: upload limits and
 * corrupt uploads are the service's to enforce, whatever the vision module does.
 */
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4);
const calls: { bytes: number; mimeType: string; query: PhotoSearchQuery }[] = [];

const fakeSearch: PhotoSearch = {
  async search(image, mimeType, query) {
    if (image[0] !== 0x89 || image[1] !== 0x50) fail('CORRUPT_IMAGE', 'not a PNG');
    calls.push({ bytes: image.length, mimeType, query });
    return [
      { itemId: 'p000002', score: 0.9 },
      { itemId: 'p000005', score: 0.7 },
      { itemId: 'p000009', score: 0.4 },
    ].slice(0, query.k);
  },
};

let shop: TinyShop;
let api: VitrineClient;
beforeAll(async () => {
  shop = await tinyShop({ deps: { photoSearch: fakeSearch, config: { uploadLimit: 2048, rateLimit: { max: 0 } } } });
  api = new VitrineClient({ fetch: injectFetch(shop.app) });
});
afterAll(() => shop.close());

async function apiError(p: Promise<unknown>): Promise<VitrineApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VitrineApiError) return e;
    throw e;
  }
  throw new Error('expected an API error');
}

describe('photo search route', () => {
  it('passes the photo, the shopper and the filters to the vision module and shapes the answer', async () => {
    const res = await api.photo(PNG, { k: 2, shopperId: 's00001', category: ['dress'] });
    expect(res.shopperId).toBe('s00001');
    expect(res.items.map((i) => i.itemId)).toEqual(['p000002', 'p000005']);
    expect(res.items[0]).toMatchObject({ position: 0, score: 0.9, title: expect.any(String) });
    expect(calls.at(-1)).toMatchObject({ bytes: PNG.length, mimeType: 'image/png', query: { k: 2, shopperId: 's00001', categories: ['dress'] } });
  });

  it('rejects an upload over the limit with 413', async () => {
    const big = new Uint8Array(4096);
    big.set(PNG);
    const e = await apiError(api.photo(big));
    expect(e.status).toBe(413);
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects corrupt and empty images with 422, a non-image with 415', async () => {
    const corrupt = await apiError(api.photo(Uint8Array.of(1, 2, 3, 4)));
    expect([corrupt.status, corrupt.code]).toEqual([422, 'CORRUPT_IMAGE']);
    const empty = await apiError(api.photo(new Uint8Array(0)));
    expect([empty.status, empty.code]).toEqual([422, 'CORRUPT_IMAGE']);
    const text = await apiError(api.photo(new TextEncoder().encode('hello'), { mimeType: 'text/plain' }));
    expect([text.status, text.code]).toEqual([415, 'UNKNOWN_FORMAT']);
  });

  it('rejects a request that is not multipart, or has no photo field', async () => {
    const json = await shop.app.inject({ method: 'POST', url: '/api/recommendations/photo', payload: { photo: 'x' } });
    expect(json.statusCode).toBe(415);
    const form = new FormData();
    form.append('note', 'no photo here');
    const req = new Request('http://localhost/api/recommendations/photo', { method: 'POST', body: form });
    const res = await shop.app.inject({ method: 'POST', url: '/api/recommendations/photo', headers: { 'content-type': req.headers.get('content-type')! }, payload: Buffer.from(await req.arrayBuffer()) });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
  });

  it('is not registered without the dependency', async () => {
    const plain = await tinyShop();
    const res = await plain.app.inject({ method: 'POST', url: '/api/recommendations/photo', payload: {} });
    expect(res.statusCode).toBe(404);
    await plain.close();
  });
});
