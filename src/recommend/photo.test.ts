import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import { buildImageIndex } from '../vision/build-index.js';
import { ClassicEncoder } from '../vision/classic-encoder.js';
import type { VectorIndex } from '../vision/ann-index.js';
import { colourCatalog, view, type ColourCatalog } from '../vision/test-utils/catalog.js';
import { productImage } from '../vision/test-utils/images.js';
import type { ModelBundle } from './bundle.js';
import { percentileIn, searchByPhoto, shopperScores } from './photo.js';
import type { Recommender } from './recommender.js';

/**
 * Photo search on a tiny catalog where the answers are known: a red photo
 * finds the red products; a shopper who loves blue pulls blue products up
 * as the weight of visual similarity goes down.
 */
const dir = mkdtempSync(join(tmpdir(), 'vitrine-photo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ITEMS = ['red-disc', 'red-bar', 'orange-disc', 'blue-disc', 'navy-bar', 'green-disc'];
/** The blue fan's taste: blue and navy first, red last. */
const BLUE_FAN = Float32Array.from([0.1, 0.3, 0.2, 0.9, 0.8, 0.5]);

/** A recommender stub with known scores: user 0 is the blue fan; a history scores by its first item's colour. */
function stubBundle(): ModelBundle {
  const model: Recommender = {
    kind: 'pop',
    config: {},
    nUsers: 1,
    nItems: ITEMS.length,
    fit: async () => undefined,
    scoreUser: () => BLUE_FAN.slice(),
    scoreHistory: (items) => Float32Array.from(ITEMS, (_, i) => (i === items[0] ? 1 : 0)),
    save: async () => undefined,
  };
  const popularity = Float32Array.from([6, 5, 4, 3, 2, 1]);
  const info = { name: 'stub', kind: 'pop', createdAt: '', dataset: { name: 't', users: 1, items: 6, pairs: 0, events: 0 }, signal: '', evaluation: null, fitSeconds: 0, world: null };
  return { model, users: IdMap.from(['blue-fan']), items: IdMap.from(ITEMS), popularity, info };
}

let cat: ColourCatalog;
let index: VectorIndex;
const encoder = new ClassicEncoder();
let redPhoto: Buffer;

beforeAll(async () => {
  const shoppers = ['blue-fan', 'newcomer', 'lurker'].map((id) => ({ id, attributes: {}, createdAt: null }));
  cat = await colourCatalog(dir, shoppers, [view('blue-fan', 'blue-disc', 1), view('newcomer', 'green-disc', 2)]);
  index = (await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir })).index;
  redPhoto = await productImage([195, 30, 40], 'disc', 90, 'jpeg');
});
afterAll(() => cat.store.close());

describe('searchByPhoto', () => {
  it('without a shopper: pure visual similarity, the red products first', async () => {
    const r = await searchByPhoto(redPhoto, { index, encoder }, { k: 3 });
    expect(r.items.map((m) => m.itemId).slice(0, 2)).toEqual(['red-disc', 'red-bar']);
    expect(r.items.every((m) => m.preference === null && m.score === m.visual)).toBe(true);
    expect([r.weight, r.source, r.candidates]).toEqual([null, null, 6]);
  });

  it('with a shopper who loves blue: score = w * visual + (1 - w) * percentile, reordered as w falls', async () => {
    const shopper = { bundle: stubBundle(), store: cat.store, shopperId: 'blue-fan' };
    const visualOnly = await searchByPhoto(redPhoto, { index, encoder }, { k: 6 });
    const blended = await searchByPhoto(redPhoto, { index, encoder }, { k: 6, shopper });
    expect([blended.weight, blended.source]).toEqual([0.7, 'user']);
    for (const m of blended.items) {
      expect(m.visual).toBeCloseTo(visualOnly.items.find((v) => v.itemId === m.itemId)!.visual, 6);
      expect(m.score).toBeCloseTo(0.7 * m.visual + 0.3 * m.preference!, 6);
    }
    // Percentiles of the stub's scores: blue-disc is the favourite (1), red-disc the least liked (0).
    const pref = Object.fromEntries(blended.items.map((m) => [m.itemId, m.preference]));
    expect(pref).toMatchObject({ 'blue-disc': 1, 'navy-bar': 0.8, 'red-disc': 0 });
    // w = 0.7: both reds still lead, but the one the shopper likes more (red-bar) goes first.
    expect(blended.items.slice(0, 2).map((m) => m.itemId)).toEqual(['red-bar', 'red-disc']);
    // w = 0: the shopper's order; w = 1: the visual order.
    const prefOnly = await searchByPhoto(redPhoto, { index, encoder }, { k: 2, shopper, weight: 0 });
    expect(prefOnly.items.map((m) => m.itemId)).toEqual(['blue-disc', 'navy-bar']);
    const visual = await searchByPhoto(redPhoto, { index, encoder }, { k: 6, shopper, weight: 1 });
    expect(visual.items.map((m) => m.itemId)).toEqual(visualOnly.items.map((m) => m.itemId));
  });

  it('only re-ranks the top visual candidates', async () => {
    const shopper = { bundle: stubBundle(), store: cat.store, shopperId: 'blue-fan' };
    const r = await searchByPhoto(redPhoto, { index, encoder }, { k: 2, candidates: 2, shopper, weight: 0 });
    expect(r.candidates).toBe(2);
    expect(r.items.map((m) => m.itemId).sort()).toEqual(['red-bar', 'red-disc']);
  });

  it('folds in a shopper the model does not know from their events, falls back to popularity, refuses an unknown id', async () => {
    const bundle = stubBundle();
    expect(shopperScores({ bundle, store: cat.store, shopperId: 'newcomer' }).source).toBe('history');
    const seen = await searchByPhoto(redPhoto, { index, encoder }, { k: 6, shopper: { bundle, store: cat.store, shopperId: 'newcomer' }, excludeSeen: true });
    expect(seen.items.map((m) => m.itemId)).not.toContain('green-disc');
    const lurker = await searchByPhoto(redPhoto, { index, encoder }, { k: 1, shopper: { bundle, store: cat.store, shopperId: 'lurker' } });
    expect(lurker.source).toBe('fallback');
    await expect(searchByPhoto(redPhoto, { index, encoder }, { shopper: { bundle, store: cat.store, shopperId: 'ghost' } })).rejects.toThrow(/unknown shopper "ghost"/);
    await expect(searchByPhoto(redPhoto, { index, encoder }, { weight: 1.5 })).rejects.toThrow(/weight must be in \[0, 1\]/);
  });

  it('refuses a corrupt photo before searching', async () => {
    await expect(searchByPhoto(redPhoto.subarray(0, 200), { index, encoder }, { name: 'photo.jpg' })).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
  });
});

describe('percentileIn', () => {
  it('gives 1 to the best, 0 to the worst, and the middle rank to ties', () => {
    const sorted = Float32Array.from([1, 2, 2, 3, 5]).sort();
    expect([percentileIn(sorted, 5), percentileIn(sorted, 1), percentileIn(sorted, 3)]).toEqual([1, 0, 0.75]);
    expect(percentileIn(sorted, 2)).toBeCloseTo((1 + 0.5) / 4, 10);
  });
});
