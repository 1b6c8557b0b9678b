import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyReport } from '../data/schema.js';
import { buildImageIndex } from './build-index.js';
import { ClassicEncoder } from './classic-encoder.js';
import { embedImage } from './encoder.js';
import { imageIndexPath, openImageIndex, saveImageIndex } from './image-index.js';
import { colourCatalog, PALETTE } from './test-utils/catalog.js';
import { productImage } from './test-utils/images.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-build-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildImageIndex', () => {
  it('embeds every readable product image, skips and counts bad ones, and finds the red product for a red photo', async () => {
    const cat = await colourCatalog(join(dir, 'a'));
    const encoder = new ClassicEncoder();
    const phases: string[] = [];
    const r = await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir, batchSize: 4, onProgress: (p) => phases.push(p.phase) });
    expect([r.items, r.withImage, r.embedded, r.skipped, r.kept, r.removed]).toEqual([9, 8, 6, 2, 0, 0]);
    expect(r.skippedExamples.join('\n')).toMatch(/x-corrupt: corrupt\.jpg is not a readable JPEG image/);
    expect(r.skippedExamples.join('\n')).toMatch(/x-missing: no such image file/);
    expect(phases).toContain('embed images');
    expect(r.index.size).toBe(6);
    // A photo that is not in the catalog: another red, another size, JPEG.
    const photo = await productImage([190, 30, 45], 'disc', 80, 'jpeg');
    const hits = r.index.search(await embedImage(encoder, photo), 3);
    expect(hits[0]!.key).toBe('red-disc');
    expect(hits.map((h) => h.key)).toContain('red-bar');
    cat.store.close();
  });

  it('updates an index in place: new products embedded, gone ones removed, the rest kept', async () => {
    const cat = await colourCatalog(join(dir, 'b'));
    const encoder = new ClassicEncoder({ inputSize: 32 });
    const first = await buildImageIndex(cat.store, encoder, { imagesDir: cat.imagesDir });
    const path = imageIndexPath(join(dir, 'b', 'indexes'), 'images');
    await saveImageIndex(path, first.index, encoder);
    writeFileSync(join(cat.imagesDir, 'pink.png'), await productImage([240, 120, 200], 'disc', 48));
    cat.store.importBatch({
      items: [{ id: 'pink-disc', title: 'pink', category: 'disc', attributes: {}, caption: '', price: 1, image: 'pink.png', createdAt: null }],
      shoppers: [],
      events: [],
      report: emptyReport('test', 'test'),
    });
    const opened = await openImageIndex(join(dir, 'b', 'indexes'), 'images');
    expect(opened.encoder.describe()).toEqual(encoder.describe());
    const second = await buildImageIndex(cat.store, opened.encoder, { imagesDir: cat.imagesDir, index: opened.index });
    expect([second.embedded, second.kept, second.skipped]).toEqual([1, Object.keys(PALETTE).length, 2]);
    expect(second.index.has('pink-disc')).toBe(true);
    cat.store.close();
  });

  it('names a missing index with a hint', async () => {
    await expect(openImageIndex(join(dir, 'nowhere'), 'images')).rejects.toThrow(/no image index "images"/);
  });
});
