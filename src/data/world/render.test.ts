import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../core/errors.js';
import { drawCatalog } from './products.js';
import { productSvg, renderProductPng, type RenderInput } from './render.js';
import { CATEGORIES, CATEGORY_SPECS, shapeFieldsOf } from './vocabulary.js';

const START = Date.UTC(2026, 0, 1);

async function pixels(png: Buffer): Promise<Buffer> {
  return sharp(png).raw().toBuffer();
}

describe('render', () => {
  const { items } = drawCatalog(24, 7, START, 5);

  it('renders a 128x128 PNG with identical bytes for the same product and seed', async () => {
    const a = await renderProductPng(items[0]!, 128, { seed: 7 });
    const b = await renderProductPng(items[0]!, 128, { seed: 7 });
    expect(a.equals(b)).toBe(true);
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 128, 128, 3]);
    const other = await renderProductPng(items[0]!, 128, { seed: 8 });
    expect(other.equals(a)).toBe(false);
  });

  it('never renders two products pixel-identical, even with equal attributes', async () => {
    const twins = [{ ...items[1]!, id: 'twin' }];
    const all = [...items, ...twins];
    const hashes = await Promise.all(all.map(async (p) => createHash('sha1').update(await pixels(await renderProductPng(p, 128, { seed: 7 }))).digest('hex')));
    const dups = hashes.map((h, i) => [i, hashes.indexOf(h)]).filter(([i, j]) => i !== j);
    expect(dups).toEqual([]);
  });

  it('paints the primary colour: a red product has many red pixels, a blue one few', async () => {
    const base = { category: 'dress', attributes: { secondaryColour: 'white', pattern: 'solid', sleeveLength: 'short', hemLength: 'maxi' } };
    const redShare = async (colour: string): Promise<number> => {
      const raw = await pixels(await renderProductPng({ id: 'x', ...base, attributes: { ...base.attributes, primaryColour: colour } }));
      let red = 0;
      for (let k = 0; k < raw.length; k += 3) if (raw[k]! > raw[k + 1]! + 80 && raw[k]! > raw[k + 2]! + 80) red++;
      return red / (raw.length / 3);
    };
    expect(await redShare('red')).toBeGreaterThan(0.1);
    expect(await redShare('blue')).toBeLessThan(0.01);
  });

  it('draws shape fields visibly: long and short sleeves differ in many pixels', async () => {
    const shirt = (sleeveLength: string) => ({ id: 'same', category: 't-shirt', attributes: { primaryColour: 'navy', secondaryColour: 'white', pattern: 'solid', sleeveLength, neckline: 'crew' } });
    const a = await pixels(await renderProductPng(shirt('short')));
    const b = await pixels(await renderProductPng(shirt('long')));
    let differ = 0;
    for (let k = 0; k < a.length; k += 3) if (Math.abs(a[k]! - b[k]!) + Math.abs(a[k + 2]! - b[k + 2]!) > 60) differ++;
    expect(differ).toBeGreaterThan(300);
  });

  it('draws every category and shape combination as valid SVG', () => {
    for (const c of CATEGORIES) {
      let combos: Record<string, string>[] = [{}];
      for (const f of shapeFieldsOf(c)) combos = combos.flatMap((o) => CATEGORY_SPECS[c].shapes[f]!.map((v) => ({ ...o, [f]: v })));
      for (const shape of combos) {
        const svg = productSvg({ id: 'x', category: c, attributes: { primaryColour: 'green', secondaryColour: 'white', pattern: 'print', ...shape } });
        expect(svg).toMatch(/^<svg .*<\/svg>$/);
        expect(svg).not.toMatch(/NaN|undefined/);
      }
    }
  });

  it('fails with INVALID_ARGUMENT on an unknown category or a missing shape field', () => {
    const bad: RenderInput[] = [
      { id: 'x', category: 'rocket', attributes: { primaryColour: 'red' } },
      { id: 'x', category: 'boot', attributes: { primaryColour: 'red', heelHeight: 'flat' } },
      { id: 'x', category: 'boot', attributes: { primaryColour: 'teal', heelHeight: 'flat', shaft: 'knee' } },
    ];
    for (const p of bad) {
      try {
        productSvg(p);
        expect.unreachable();
      } catch (e) {
        expect(isVitrineError(e) && e.code).toBe('INVALID_ARGUMENT');
      }
    }
  });
});
