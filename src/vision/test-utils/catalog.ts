import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyReport, type Item, type ShopEvent, type Shopper } from '../../data/schema.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { noiseImage, productImage } from './images.js';

/**
 * A tiny shop of solid-colour products where the right answers are known:
 * a red photo finds the red products first, a blue one the blue products.
 * Images are written by sharp under `dir`; some item images are relative to
 * the images folder, one is absolute, one is corrupt and one is missing.
 */

export type Rgb = readonly [number, number, number];

export const PALETTE: Readonly<Record<string, { rgb: Rgb; shape: 'disc' | 'bar' }>> = Object.freeze({
  'red-disc': { rgb: [215, 25, 30], shape: 'disc' },
  'red-bar': { rgb: [200, 35, 40], shape: 'bar' },
  'orange-disc': { rgb: [235, 130, 30], shape: 'disc' },
  'blue-disc': { rgb: [30, 50, 210], shape: 'disc' },
  'navy-bar': { rgb: [25, 35, 120], shape: 'bar' },
  'green-disc': { rgb: [40, 170, 60], shape: 'disc' },
});

export interface ColourCatalog {
  store: Store;
  imagesDir: string;
  /** Ids of products with a readable image, in PALETTE order. */
  good: string[];
  /** Ids whose image is corrupt, and missing. */
  corrupt: string;
  missing: string;
}

function item(id: string, image: string | null): Item {
  return { id, title: id, category: id.split('-')[1] ?? 'misc', attributes: {}, caption: id, price: 10, image, createdAt: null };
}

/** Writes the catalog's images and a store at `<dir>/vitrine.db` with the products and `events`. */
export async function colourCatalog(dir: string, shoppers: Shopper[] = [], events: ShopEvent[] = []): Promise<ColourCatalog> {
  const imagesDir = join(dir, 'images');
  mkdirSync(imagesDir, { recursive: true });
  const items: Item[] = [];
  for (const [i, [id, spec]] of Object.entries(PALETTE).entries()) {
    const file = `${id}.png`;
    writeFileSync(join(imagesDir, file), await productImage(spec.rgb, spec.shape, 48));
    // The first product uses an absolute path, the others paths relative to the images folder.
    items.push(item(id, i === 0 ? join(imagesDir, file) : file));
  }
  const cut = await noiseImage(9, 64, 64, 'jpeg');
  writeFileSync(join(imagesDir, 'corrupt.jpg'), cut.subarray(0, cut.length >> 1));
  items.push(item('x-corrupt', 'corrupt.jpg'), item('x-missing', 'missing.png'), item('x-noimage', null));
  const store = openStore(join(dir, 'vitrine.db'));
  store.importBatch({ items, shoppers, events, report: emptyReport('test', 'test') });
  return { store, imagesDir, good: Object.keys(PALETTE), corrupt: 'x-corrupt', missing: 'x-missing' };
}

/** A view event of `shopperId` on `itemId`. */
export function view(shopperId: string, itemId: string, ts: number): ShopEvent {
  return { key: `${shopperId}:${itemId}:${ts}`, shopperId, itemId, type: 'view', ts, value: 1, price: null, sessionId: null };
}
