import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineClient } from '../client/index.js';
import type { PhotoSearch } from './photo-search.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/**
 * The photo route's additions for the web UI: both parts of a blended
 * score reach the client, and GET /api/recommendations/photo/info says
 * whether the search is ready and how it blends.
 */
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4);
let ready = false;
const search: PhotoSearch = {
  async search() {
    return [
      { itemId: 'p000002', score: 0.8, visual: 0.9, preference: 0.56 },
      { itemId: 'p000005', score: 0.6, visual: 0.6, preference: null },
    ];
  },
  info: () => ({ ready, message: ready ? '60 products' : 'building', weight: 0.7, size: ready ? 60 : 0 }),
};

let shop: TinyShop;
beforeAll(async () => {
  shop = await tinyShop({ deps: { photoSearch: search, jobs: false } });
});
afterAll(() => shop.close());

describe('photo route for the UI', () => {
  it('passes the visual and preference parts of each score through', async () => {
    const r = await new VitrineClient({ fetch: injectFetch(shop.app) }).photo(PNG, { k: 2 });
    expect(r.items.map((i) => [i.itemId, i.score, i.visual, i.preference])).toEqual([
      ['p000002', 0.8, 0.9, 0.56],
      ['p000005', 0.6, 0.6, null],
    ]);
  });

  it('reports readiness and the blend weight', async () => {
    expect((await shop.app.inject('/api/recommendations/photo/info')).json()).toEqual({ ready: false, message: 'building', weight: 0.7, size: 0 });
    ready = true;
    expect((await shop.app.inject('/api/recommendations/photo/info')).json()).toMatchObject({ ready: true, size: 60 });
  });
});
