import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsrMatrix } from '../data/csr.js';
import { buildItemContent } from '../data/item-content.js';
import type { Item } from '../data/schema.js';
import { ContentModel } from './content.js';
import { loadModel } from './registry.js';

/** Products added after training get vectors in the fitted space (content-features.ts ContentSpace). */
const item = (id: string, category: string, colour: string, price: number | null, caption: string, extra: Item['attributes'] = {}): Item => ({
  id, title: `${colour} ${category}`, category, attributes: { primaryColour: colour, ...extra }, caption, price, image: null, createdAt: null,
});

const catalog: Item[] = [
  item('a', 'dress', 'red', 40, 'A red silk evening dress', { length: 110 }),
  item('b', 'dress', 'blue', 35, 'A blue cotton summer dress', { length: 95 }),
  item('c', 'boots', 'black', 120, 'Black leather ankle boots'),
  item('d', 'boots', 'brown', 140, 'Brown suede boots with laces', { length: 30 }),
  item('e', 'hat', 'red', 15, 'A red wool hat'),
  item('f', 'hat', 'green', null, ''),
];
// Shopper 0 bought the red dress and the red hat; shopper 1 the boots.
const ui = CsrMatrix.fromCoo(2, catalog.length, [0, 0, 1, 1], [0, 4, 2, 3]);
const tmp = mkdtempSync(join(tmpdir(), 'vitrine-content-space-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function fitted(): Promise<ContentModel> {
  const m = new ContentModel({ numericBins: 3 });
  await m.fit({ ui, content: buildItemContent(catalog) });
  return m;
}

function dot(row: { indices: Int32Array; data: Float32Array }, dense: Float32Array): number {
  let s = 0;
  row.indices.forEach((c, t) => (s += row.data[t]! * dense[c]!));
  return s;
}

describe('content feature space', () => {
  it("gives every training product its own row of the matrix, bit for bit", async () => {
    const m = await fitted();
    const f = m.itemFeatures();
    catalog.forEach((it, i) => {
      const row = m.featureRow(it)!;
      expect(Array.from(row.indices)).toEqual(Array.from(f.rowIndices(i)));
      expect(Array.from(row.data)).toEqual(Array.from(f.rowValues(i)));
    });
  });

  it('places a new product near its look-alikes and ranks it for the shopper whose taste it fits', async () => {
    const m = await fitted();
    const newDress = m.featureRow(item('n', 'dress', 'red', 45, 'A red silk party dress'))!;
    expect(Math.hypot(...newDress.data)).toBeCloseTo(1, 6);
    const sims = m.scoreRow(newDress);
    expect(sims[0]).toBeGreaterThan(0.6);
    expect(sims[0]).toBeGreaterThan(sims[1]!);
    expect(sims[1]).toBeGreaterThan(sims[2]!);
    // The red-dress-and-hat shopper matches it far better than the boots shopper.
    expect(dot(newDress, m.userProfile(0))).toBeGreaterThan(dot(newDress, m.userProfile(1)) + 0.3);
    // A profile made of one item matches that item's score by scoreHistory.
    const profile = m.profileOf(Int32Array.of(1), Float32Array.of(2));
    expect(dot(m.featureRow(catalog[0]!)!, profile)).toBeCloseTo(m.scoreHistory(Int32Array.of(1), Float32Array.of(1))[0]!, 6);
  });

  it('ignores values the space never saw, and gives a product with nothing known an empty row', async () => {
    const m = await fitted();
    const odd = m.featureRow(item('x', 'sofa', 'teal', null, 'zzz qqq'))!;
    expect(odd.indices.length).toBe(0);
    const partly = m.featureRow(item('y', 'sofa', 'red', null, ''))!;
    expect(partly.indices.length).toBe(2); // the colour, and the word "red" of its title ("red sofa")
  });

  it('keeps the space through save and load, and a model saved before it loads without one', async () => {
    const m = await fitted();
    const dir = join(tmp, 'content');
    await m.save(dir);
    const back = loadModel(dir) as ContentModel;
    const probe = item('n', 'dress', 'red', 45, 'A red silk party dress');
    expect(back.featureRow(probe)).toEqual(m.featureRow(probe));
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { version: number; extra: Record<string, unknown> };
    const { space, ...rest } = manifest.extra;
    writeFileSync(path, JSON.stringify({ ...manifest, version: 1, extra: rest }));
    const old = loadModel(dir) as ContentModel;
    expect(old.featureRow(probe)).toBeUndefined();
    expect(Array.from(old.scoreUser(0))).toEqual(Array.from(m.scoreUser(0)));
    // It recovers the space from the catalog rows it was trained on, not from edited ones.
    const edited = catalog.map((it, i) => (i === 2 ? { ...it, caption: 'Black leather riding boots' } : it));
    expect(old.recoverFeatureSpace(edited)).toBe(false);
    expect(old.featureRow(probe)).toBeUndefined();
    expect(old.recoverFeatureSpace(catalog.slice(1))).toBe(false);
    expect(old.recoverFeatureSpace(catalog)).toBe(true);
    expect(old.featureRow(probe)).toEqual(m.featureRow(probe));
    const broken = space as { text: { idf: number[] } };
    broken.text.idf.pop();
    writeFileSync(path, JSON.stringify({ ...manifest, extra: { ...rest, space: broken } }));
    expect(() => loadModel(dir)).toThrow(expect.objectContaining({ code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/feature space/) }));
  });
});
