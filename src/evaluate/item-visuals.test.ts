import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../data/dataset.js';
import type { Item, ShopEvent } from '../data/schema.js';
import { runExperiment } from './experiment.js';
import { embedItemImages, keepImagedItems, loadItemImages, prepareVisualInputs } from './item-visuals.js';
import { ClassicEncoder } from '../vision/classic-encoder.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitrine-item-visuals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COLOURS: [number, number, number][] = [[220, 30, 30], [30, 200, 60], [40, 60, 230]];

/**
 * 12 shoppers, 15 items in 3 colours (item i of colour i % 3); shopper u buys
 * items of colour u % 3. Item 12's image is corrupt, item 13's is missing,
 * item 14 has none; the rest are PNGs, relative to the images folder except
 * item 0 (absolute).
 */
async function shop() {
  const images = join(tmp, 'images');
  mkdirSync(images, { recursive: true });
  const items: Item[] = [];
  for (let i = 0; i < 15; i++) {
    const file = `p${i}.png`;
    if (i < 12) {
      const [r, g, b] = COLOURS[i % 3]!;
      await sharp({ create: { width: 24, height: 36, channels: 3, background: { r, g, b } } }).png().toFile(join(images, file));
    }
    if (i === 12) writeFileSync(join(images, file), Buffer.from('not an image at all'));
    const image = i === 14 ? null : i === 0 ? join(images, file) : file;
    items.push({ id: `p${i}`, title: `item ${i}`, category: `c${i % 3}`, attributes: {}, caption: '', price: null, image, createdAt: null });
  }
  const events: ShopEvent[] = [];
  for (let u = 0; u < 12; u++) {
    for (let i = u % 3, t = 0; i < 15; i += 3, t++) {
      events.push({ key: `${u}-${i}`, shopperId: `u${u}`, itemId: `p${i}`, type: 'purchase', ts: t * 1000 + u, value: 1, price: null, sessionId: null });
    }
  }
  return { dataset: buildDataset('colours', items, [], events), images };
}

let fixture: Awaited<ReturnType<typeof shop>>;
beforeAll(async () => {
  fixture = await shop();
});

describe('item images for the visual models', () => {
  it('reads every readable image once, skipping the unreadable ones', async () => {
    const { dataset, images } = fixture;
    const r = await loadItemImages(dataset, { imagesDir: images, size: 8 });
    expect([r.withImage, r.skipped]).toEqual([14, 2]);
    expect(r.skippedExamples.join('\n')).toMatch(/p12|p13/);
    expect(Array.from(r.images.present)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    // Item 1 is green (padded to a square with white): its centre pixel is the product colour.
    const centre = (1 * 64 + 4 * 8 + 4) * 3;
    expect(r.images.data[centre + 1]!).toBeGreaterThan(0.7);
    expect(r.images.data[centre]!).toBeLessThan(0.2);
    expect(r.images.data.subarray(12 * 192, 15 * 192).every((v) => v === 0)).toBe(true);
    await expect(loadItemImages(dataset, { size: 8 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('embeds them with an encoder and keeps only imaged items when asked', async () => {
    const { dataset, images } = fixture;
    const read = await loadItemImages(dataset, { imagesDir: images, size: 16 });
    const enc = new ClassicEncoder({ inputSize: 16 });
    const f = await embedItemImages(read.images, enc);
    expect([f.nItems, f.dim, f.source]).toEqual([15, enc.dim, 'classic']);
    const row = (i: number): number[] => Array.from(f.data.subarray(i * f.dim, (i + 1) * f.dim));
    expect(row(3)).toEqual(row(0)); // same colour, same embedding
    expect(row(13).every((v) => v === 0)).toBe(true);
    await expect(embedItemImages(read.images, new ClassicEncoder({ inputSize: 32 }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const kept = keepImagedItems(dataset);
    expect(kept.items.size).toBe(14); // item 14 has no image reference
    expect(kept.events.item.every((i) => kept.itemInfo[i]?.image != null)).toBe(true);
  });

  it('feeds vbpr and dvbpr through runExperiment, cold-items protocol included', async () => {
    const { dataset, images } = fixture;
    const visual = await prepareVisualInputs(dataset, ['vbpr', 'dvbpr', 'pop'], { imagesDir: images, size: 16 });
    expect(visual.images?.size).toBe(16);
    expect(visual.features?.dim).toBe(new ClassicEncoder({ inputSize: 16 }).dim);
    expect(await prepareVisualInputs(dataset, ['pop', 'bpr'])).toEqual({});
    const rows = await runExperiment({
      dataset, models: ['vbpr', 'dvbpr'], protocol: 'cold-items-0.3', visual, seed: 1,
      modelConfigs: { vbpr: { factors: 2, visualFactors: 4, epochs: 30 }, dvbpr: { channels: [4, 4], embedding: 4, epochs: 30, batchSize: 16, learningRate: 0.02 } },
    });
    expect(rows.map((r) => r.model)).toEqual(['vbpr', 'dvbpr']);
    expect(rows[1]!.hyperparameters.imageSize).toBe(16);
    // Colour decides everything here, so both rank the held-out items of the shopper's colour well.
    for (const r of rows) expect(r.auc).toBeGreaterThan(0.8);
    // Without `visual`, runExperiment reads the images itself.
    const again = await runExperiment({ dataset, models: ['vbpr'], protocol: 'cold-items-0.3', images: { imagesDir: images, size: 16 }, seed: 1, modelConfigs: { vbpr: { factors: 2, visualFactors: 4, epochs: 30 } } });
    expect(again[0]!.auc).toBe(rows[0]!.auc);
  });
});
