import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourCatalog, view } from '../../vision/test-utils/catalog.js';
import { productImage } from '../../vision/test-utils/images.js';
import { onnxModel } from '../../vision/test-utils/onnx-proto.js';
import { captureCli } from '../test-utils/cli-capture.js';
import { emptyReport } from '../../data/schema.js';
import { openStore } from '../../store/index.js';

/**
 * `vitrine index build`, `vitrine search-image` and `vitrine similar` end to
 * end, in process, on the tiny colour catalog: the red photo finds the red
 * products, --json shows visual, preference and score, the red disc's
 * look-alike is the red bar, bad input is one line and exit 2.
 */
const ws = mkdtempSync(join(tmpdir(), 'vitrine-search-image-'));
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const { io, run } = captureCli(['-w', ws]);
let photo = '';

beforeAll(async () => {
  const shoppers = ['s1', 's2'].map((id) => ({ id, attributes: {}, createdAt: null }));
  const events = [view('s1', 'blue-disc', 1), view('s1', 'navy-bar', 2), view('s2', 'blue-disc', 3), view('s2', 'green-disc', 4)];
  const cat = await colourCatalog(ws, shoppers, events);
  cat.store.close();
  photo = join(ws, 'red-photo.jpg');
  writeFileSync(photo, await productImage([200, 30, 35], 'disc', 72, 'jpeg'));
});

describe('vitrine index build / search-image', () => {
  it('builds the index, counting unreadable images, then updates it in place', async () => {
    expect(await run('index', 'build', '--json')).toBe(0);
    const built = JSON.parse(io.out) as Record<string, unknown>;
    expect(built).toMatchObject({ updated: false, size: 6, embedded: 6, skipped: 2, search: 'exact' });
    io.out = '';
    expect(await run('index', 'build')).toBe(0);
    expect(io.out).toMatch(/updated image index "images": 6 products \(0 embedded now, 6 kept, 0 removed\)/);
  });

  it('finds the red products for a red photo, and blends in a shopper with --user', async () => {
    expect(await run('search-image', photo, '--k', '2', '--json')).toBe(0);
    const plain = JSON.parse(io.out) as { items: { itemId: string; visual: number; preference: null }[] };
    expect(plain.items.map((i) => i.itemId)).toEqual(['red-disc', 'red-bar']);
    expect(plain.items[0]!.preference).toBeNull();
    expect(await run('train', 'pop', '--no-eval', '--json')).toBe(0);
    io.out = '';
    expect(await run('search-image', photo, '--user', 's1', '--model', 'pop', '--weight', '0.5', '--json')).toBe(0);
    const blended = JSON.parse(io.out) as { weight: number; source: string; items: { visual: number; preference: number; score: number }[] };
    expect([blended.weight, blended.source]).toEqual([0.5, 'user']);
    for (const m of blended.items) expect(m.score).toBeCloseTo(0.5 * m.visual + 0.5 * m.preference, 6);
  });

  it('leaves out a product the catalog marks unavailable, still listing k', async () => {
    const setAvailable = (v: string): void => {
      const store = openStore(join(ws, 'vitrine.db'));
      const bar = store.getItem('red-bar')!;
      store.importBatch({ items: [{ ...bar, attributes: { ...bar.attributes, available: v } }], shoppers: [], events: [], report: emptyReport('test', 'test') });
      store.close();
    };
    setAvailable('no');
    expect(await run('search-image', photo, '--k', '2', '--json')).toBe(0);
    expect((JSON.parse(io.out) as { items: { itemId: string }[] }).items.map((i) => i.itemId)).toEqual(['red-disc', 'orange-disc']);
    setAvailable('yes');
  });

  it('lists the products similar to a catalog product, the photos blended in from the index', async () => {
    expect(await run('similar', 'red-disc', '--model', 'pop', '--visual', '1', '--k', '2', '--json')).toBe(0);
    const looks = JSON.parse(io.out) as { visualWeight: number; index: string; items: { itemId: string }[] };
    expect([looks.visualWeight, looks.index]).toEqual([1, 'images']);
    expect(looks.items[0]!.itemId).toBe('red-bar'); // the same colour, the other shape
    expect(looks.items.map((i) => i.itemId)).not.toContain('red-disc');
    io.out = '';
    expect(await run('similar', 'red-disc', '--model', 'pop', '--k', '3')).toBe(0);
    expect(io.out).toMatch(/top 3 similar to red-disc by 0\.50 x pop item similarity \+ 0\.50 x image similarity/);
    io.out = '';
    expect(await run('similar', 'red-disc', '--model', 'pop', '--index', 'none-here')).toBe(0);
    expect(io.out).toMatch(/by pop alone \(no image index "none-here"/);
    expect(await run('similar', 'no-such-product', '--model', 'pop')).toBe(2);
    expect(io.err).toMatch(/UNKNOWN_ID.*no-such-product/);
    io.err = '';
    expect(await run('similar', 'red-disc', '--model', 'pop', '--visual', '2')).toBe(2);
    expect(io.err).toMatch(/--visual/);
  });

  it('answers a missing, corrupt or wrong-type photo, a missing index and an unknown shopper with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['search-image', join(ws, 'nope.jpg')], /FILE_NOT_FOUND.*nope\.jpg/],
      [['search-image', join(ws, 'images', 'corrupt.jpg')], /CORRUPT_IMAGE.*corrupt\.jpg/],
      [['search-image', join(ws, 'vitrine.db')], /UNKNOWN_FORMAT/],
      [['search-image', photo, '--index', 'other'], /MODEL_NOT_FOUND.*no image index "other"/],
      [['search-image', photo, '--user', 'ghost', '--model', 'pop'], /UNKNOWN_ID.*unknown shopper "ghost"/],
    ];
    for (const [args, pattern] of cases) {
      io.err = '';
      expect(await run(...args)).toBe(2);
      expect(io.err).toMatch(pattern);
      expect(io.err).not.toMatch(/\n\s+at /);
    }
  });

  it('builds and searches an index with a shop-supplied ONNX backbone', async () => {
    // A "backbone" written here: mean colour per channel (GlobalAveragePool) projected to 4-d.
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 16, 16] }],
      outputs: [{ name: 'emb', shape: ['N', 4] }],
      initializers: [{ name: 'W', dims: [3, 4], data: Float32Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1]) }],
      nodes: [
        { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['g'] },
        { op: 'Flatten', inputs: ['g'], outputs: ['f'], ints: { axis: 1 } },
        { op: 'MatMul', inputs: ['f', 'W'], outputs: ['emb'] },
      ],
    });
    const file = join(ws, 'backbone.onnx');
    writeFileSync(file, model);
    expect(await run('index', 'build', '--encoder', file, '--config', 'inputSize=16,preset=none', '--name', 'onnx', '--json')).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ size: 6, encoder: { kind: 'onnx', dim: 4, inputSize: 16 } });
    io.out = '';
    expect(await run('search-image', photo, '--index', 'onnx', '--k', '1', '--json')).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ encoder: 'onnx', items: [{ itemId: expect.stringMatching(/^red-/) }] });
    io.err = '';
    expect(await run('index', 'build', '--encoder', file, '--config', 'inputSize=32', '--name', 'bad')).toBe(2);
    expect(io.err).toMatch(/MODEL_INCOMPATIBLE.*takes 16x16 images but inputSize is 32/);
  });
});
