import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import { isVitrineError } from '../core/errors.js';
import type { ModelBundle } from '../recommend/bundle.js';
import type { Recommender } from '../recommend/recommender.js';
import { buildImageIndex } from '../vision/build-index.js';
import { ClassicEncoder } from '../vision/classic-encoder.js';
import { colourCatalog, type ColourCatalog } from '../vision/test-utils/catalog.js';
import { productImage } from '../vision/test-utils/images.js';
import { emptyReport } from '../data/schema.js';
import { VectorIndex } from '../vision/ann-index.js';
import { IndexPhotoSearch } from './photo-adapter.js';
import { storeProductImage } from './product-images.js';

/**
 * The service's photo search over the vision module, on the colour catalog
 * where the answers are known: a red photo finds red products; a shopper
 * who loves blue pulls blue ones up; filters apply after the blend; an
 * index that is not there yet is a clear NOT_FITTED.
 */
const dir = mkdtempSync(join(tmpdir(), 'vitrine-photo-adapter-'));
const ITEMS = ['red-disc', 'red-bar', 'orange-disc', 'blue-disc', 'navy-bar', 'green-disc'];
const BLUE_FAN = Float32Array.from([0.1, 0.3, 0.2, 0.9, 0.8, 0.5]);

function blueFanBundle(): ModelBundle {
  const model: Recommender = {
    kind: 'pop',
    config: {},
    nUsers: 1,
    nItems: ITEMS.length,
    fit: async () => undefined,
    scoreUser: () => BLUE_FAN.slice(),
    save: async () => undefined,
  };
  const info = { name: 'stub', kind: 'pop', createdAt: '', dataset: { name: 't', users: 1, items: 6, pairs: 0, events: 0 }, signal: '', evaluation: null, fitSeconds: 0, world: null };
  return { model, users: IdMap.from(['blue-fan']), items: IdMap.from(ITEMS), popularity: new Float32Array(6).fill(1), info };
}

let cat: ColourCatalog;
let red: Buffer;
let search: IndexPhotoSearch;

beforeAll(async () => {
  cat = await colourCatalog(dir, [{ id: 'blue-fan', attributes: {}, createdAt: null }]);
  red = await productImage([195, 30, 40], 'disc', 90, 'png');
  const bundle = blueFanBundle();
  search = new IndexPhotoSearch({ store: () => cat.store, item: (id) => cat.store.getItem(id), bundle: () => bundle });
});
afterAll(async () => {
  await search.close();
  cat.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('IndexPhotoSearch', () => {
  it('answers NOT_FITTED with the reason until an index is in use', async () => {
    search.setStatus(() => 'the image index is being built (embed images: 40%)');
    expect(search.info()).toEqual({ ready: false, message: 'the image index is being built (embed images: 40%)', weight: 0.7, size: 0 });
    const e = await search.search(red, 'image/png', { k: 3 }).catch((x: unknown) => x);
    expect(isVitrineError(e) && e.code).toBe('NOT_FITTED');
    expect((e as Error).message).toContain('40%');
  });

  it('finds the red products for a red photo, with visual similarity alone for a visitor the shop does not know', async () => {
    const encoder = new ClassicEncoder();
    const { index } = await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir });
    await search.use({ name: 'images', path: join(dir, 'images-index'), index, encoder });
    expect(search.info()).toMatchObject({ ready: true, size: 6, weight: 0.7 });
    const r = await search.search(red, 'image/png', { k: 2, shopperId: 'anon-123' });
    expect(r.map((m) => m.itemId)).toEqual(['red-disc', 'red-bar']);
    expect(r.every((m) => m.preference === null && m.score === m.visual && m.visual! > 0.5)).toBe(true);
  });

  it("blends in a known shopper's preference, reporting both parts of the score", async () => {
    const r = await search.search(red, 'image/png', { k: 6, shopperId: 'blue-fan' });
    for (const m of r) expect(m.score).toBeCloseTo(0.7 * m.visual! + 0.3 * m.preference!, 6);
    const blue = r.find((m) => m.itemId === 'blue-disc')!;
    expect(blue.preference).toBe(1);
    expect(r.map((m) => m.score)).toEqual([...r.map((m) => m.score)].sort((a, b) => b - a));
  });

  it("gives a catalog product's nearest images, itself left out; none for a product without an indexed image", () => {
    const n = search.neighbours('red-disc', 2)!;
    expect(n.map((x) => x.itemId)).not.toContain('red-disc');
    expect(n[0]!.itemId).toBe('red-bar'); // same colour, the other shape
    expect(n[0]!.similarity).toBeGreaterThanOrEqual(n[1]!.similarity);
    expect(search.neighbours('no-such-product', 2)).toBeUndefined();
  });

  it('applies category, price and exclusion filters to the blended candidates', async () => {
    const bars = await search.search(red, 'image/png', { k: 3, categories: ['bar'] });
    expect(bars.map((m) => m.itemId)).toEqual(['red-bar', 'navy-bar']);
    const noRedDisc = await search.search(red, 'image/png', { k: 1, exclude: ['red-disc'] });
    expect(noRedDisc.map((m) => m.itemId)).toEqual(['red-bar']);
    expect(await search.search(red, 'image/png', { k: 3, minPrice: 11 })).toEqual([]);
  });

  it('leaves out a product the catalog marks unavailable', async () => {
    const bar = cat.store.getItem('red-bar')!;
    const put = (available: string): void => void cat.store.importBatch({ items: [{ ...bar, attributes: { ...bar.attributes, available } }], shoppers: [], events: [], report: emptyReport('test', 'api') });
    put('no');
    expect((await search.search(red, 'image/png', { k: 2 })).map((m) => m.itemId)).toEqual(['red-disc', 'orange-disc']);
    put('yes');
    expect((await search.search(red, 'image/png', { k: 2 })).map((m) => m.itemId)).toEqual(['red-disc', 'red-bar']);
  });
});

describe('IndexPhotoSearch.addProduct (a seller sets a product photo)', () => {
  const path = join(dir, 'upload-index');
  let live: IndexPhotoSearch;
  let redBar: Buffer;

  beforeAll(async () => {
    live = new IndexPhotoSearch({ store: () => cat.store, item: (id) => cat.store.getItem(id), bundle: () => undefined, imagesDir: cat.imagesDir, saveDelayMs: 0 });
    redBar = await productImage([205, 30, 35], 'bar', 48, 'png');
    // x-noimage had no photo: the seller's upload is stored and the catalog row points at it (what the route does).
    const stored = await storeProductImage(cat.imagesDir, 'x-noimage', redBar, 1 << 20);
    cat.store.importBatch({ items: [{ ...cat.store.getItem('x-noimage')!, image: stored.image }], shoppers: [], events: [], report: emptyReport('test', 'api') });
  });
  afterAll(() => live.close());

  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

  it('has nothing to add to before an index exists, and embeds the photo into the index that arrives', async () => {
    expect(await live.addProduct('x-noimage', redBar)).toBe(false);
    const encoder = new ClassicEncoder();
    // An index built before the upload (it lacks the product), as a build job that read the store earlier would give.
    const { index } = await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir });
    index.remove('x-noimage');
    await live.use({ name: 'upload-index', path, index, encoder });
    expect(index.has('x-noimage')).toBe(true);
    expect(live.neighbours('x-noimage', 2)!.map((n) => n.itemId)).toEqual(['red-bar', 'red-disc']);
  });

  it('replaces the vector of a product whose photo changes and writes the index to disk', async () => {
    const blue = await productImage([30, 50, 210], 'disc', 48, 'png');
    expect(await live.addProduct('x-noimage', blue)).toBe(true);
    expect(live.neighbours('x-noimage', 1)![0]!.itemId).toBe('blue-disc');
    const hits = await live.search(blue, 'image/png', { k: 2 });
    expect(hits.map((h) => h.itemId).sort()).toEqual(['blue-disc', 'x-noimage']);
    await settle();
    const onDisk = VectorIndex.open(path);
    expect(onDisk.has('x-noimage')).toBe(true);
    expect(onDisk.search(onDisk.vectorOf('blue-disc')!, 2).map((h) => h.key)).toContain('x-noimage');
  });

  it('does not overwrite index files someone else wrote meanwhile (an index build job): its index comes through use()', async () => {
    const encoder = new ClassicEncoder();
    const other = (await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir })).index;
    other.remove('x-noimage');
    other.save(path); // the job's write
    expect(await live.addProduct('x-noimage', redBar)).toBe(true);
    await settle();
    expect(VectorIndex.open(path).has('x-noimage')).toBe(false);
    await live.use({ name: 'upload-index', path, index: VectorIndex.open(path), encoder });
    expect(live.neighbours('x-noimage', 1)![0]!.itemId).toBe('red-bar');
    await settle();
    expect(VectorIndex.open(path).has('x-noimage')).toBe(true);
  });

  it('embeds again only the photos set since the build of the new index started', async () => {
    const encoder = new ClassicEncoder();
    expect(await live.addProduct('x-noimage', redBar)).toBe(true);
    const later = (await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir })).index;
    later.remove('x-noimage');
    // A build that started after the photo was set read it from the catalog: nothing to embed again (here its index lacks it, so it stays out).
    await live.use({ name: 'upload-index', path, index: later, encoder }, { since: Date.now() + 1000 });
    expect(later.has('x-noimage')).toBe(false);
  });
});
