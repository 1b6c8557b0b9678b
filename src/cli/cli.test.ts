import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyReport } from '../data/schema.js';
import { openStore } from '../store/index.js';
import { DEFAULT_DEMO_WORLD } from './demo-models.js';
import { captureCli } from './test-utils/cli-capture.js';

/**
 * The CLI end to end, in process: every error path gives one line naming
 * the problem, exit status 2, and no stack trace; the happy path runs a tiny
 * demo and serves recommendations from what it wrote.
 */
const root = mkdtempSync(join(tmpdir(), 'vitrine-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { io, run } = captureCli();

function expectOneLineError(code: number, pattern: RegExp): void {
  expect(code).toBe(2);
  expect(io.err).toMatch(pattern);
  expect(io.err).not.toMatch(/\n\s+at /); // no stack trace
}

describe('vitrine CLI error paths', () => {
  const ws = join(root, 'ws-errors');

  it('rejects an unknown command and a bad option value', async () => {
    expectOneLineError(await run('frobnicate'), /unknown command/);
    io.err = '';
    expectOneLineError(await run('world', '--items', 'many', '-w', ws), /--items must be a positive integer/);
  });

  it('rejects an unknown benchmark suite and an option of another suite', async () => {
    expectOneLineError(await run('bench', 'speed'), /unknown benchmark suite "speed"/);
    io.err = '';
    expectOneLineError(await run('bench', 'recsys', '--train-encoder'), /--train-encoder is an option of the visual suite/);
  });

  it('names a missing file', async () => {
    expectOneLineError(await run('import', join(root, 'nope.csv'), '-w', ws), /FILE_NOT_FOUND.*nope\.csv/);
  });

  it('names a file of no known format, with a hint', async () => {
    const junk = join(root, 'junk.bin');
    writeFileSync(junk, Buffer.from([0, 159, 146, 150, 1, 2, 3]));
    expectOneLineError(await run('import', junk, '-w', ws), /UNKNOWN_FORMAT/);
    expect(io.err).toMatch(/hint: .*--format/);
  });

  it('reports malformed rows in the cleaning report and keeps the good ones', async () => {
    const data = join(root, 'u.data');
    writeFileSync(data, '1\t10\t5\t881250949\n2\t20\tfive\t881250950\n3\t30\t4\n1\t10\t5\t881250949\n');
    expect(await run('import', data, '-w', ws)).toBe(0);
    expect(io.out).toMatch(/rows kept\s+1/);
    expect(io.out).toMatch(/bad value/);
    expect(io.out).toMatch(/duplicate/);
  });

  it('refuses an unknown model, an unknown protocol and a missing trained model', async () => {
    expectOneLineError(await run('train', 'deepnet', '-w', ws), /unknown model "deepnet"/);
    io.err = '';
    expectOneLineError(await run('evaluate', '--models', 'als,magic', '-w', ws), /unknown model "magic"/);
    io.err = '';
    expectOneLineError(await run('recommend', '--user', '1', '--model', 'missing', '-w', ws), /MODEL_NOT_FOUND/);
  });

  it('refuses evaluation on an empty workspace with a hint', async () => {
    const empty = join(root, 'ws-empty');
    mkdirSync(empty, { recursive: true });
    expectOneLineError(await run('evaluate', '-w', empty), /DATASET_NOT_FOUND/);
    expect(io.err).toMatch(/hint:/);
  });
});

describe('vitrine demo and recommend', () => {
  const ws = join(root, 'ws-demo');

  it('builds a tiny shop, trains, evaluates and prints recommendations beside hidden tastes', async () => {
    const code = await run('demo', '--items', '80', '--shoppers', '40', '--days', '6', '--models', 'pop,als,hybrid', '--show', '2', '-q', '-w', ws);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/protocol: leave-last-out/);
    expect(io.out).toMatch(/hybrid\s+\d\.\d{4}/);
    expect(io.out).toMatch(/hidden taste: likes /);
    expect(existsSync(join(ws, 'models', 'als', 'model', 'manifest.json'))).toBe(true);
    expect(existsSync(join(ws, 'vitrine.db'))).toBe(true);
  });

  it('recommends for a known shopper as JSON, and refuses an unknown one', async () => {
    expect(await run('recommend', '--user', 's00001', '--k', '3', '--model', 'als', '--json', '-w', ws)).toBe(0);
    const rec = JSON.parse(io.out) as { source: string; items: { itemId: string }[] };
    expect(rec.source).toBe('user');
    expect(rec.items).toHaveLength(3);
    expect(rec.items[0]!.itemId).toMatch(/^p\d{6}$/);
    // the top product marked unavailable in the store is left out, as the service does
    const store = openStore(join(ws, 'vitrine.db'));
    const top = store.getItem(rec.items[0]!.itemId)!;
    store.importBatch({ items: [{ ...top, attributes: { ...top.attributes, available: 'no' } }], shoppers: [], events: [], report: emptyReport('test', 'test') });
    store.close();
    io.out = '';
    expect(await run('recommend', '--user', 's00001', '--k', '3', '--model', 'als', '--json', '-w', ws)).toBe(0);
    const again = JSON.parse(io.out) as { items: { itemId: string }[] };
    expect(again.items.map((i) => i.itemId)).toEqual([...rec.items.slice(1).map((i) => i.itemId), expect.any(String)]);
    io.err = '';
    expectOneLineError(await run('recommend', '--user', 'nobody', '--model', 'als', '-w', ws), /UNKNOWN_ID.*nobody/);
  });

  it('trains the visual models from the workspace images, part settings by dotted keys, and serves them', async () => {
    const config = 'cfConfig.factors=8,cfConfig.iterations=4,visualConfig.factors=4,visualConfig.visualFactors=4,visualConfig.epochs=3';
    expect(await run('train', 'visual-hybrid', '--config', config, '--image-size', '16', '--no-eval', '--json', '-q', '-w', ws)).toBe(0);
    const trained = JSON.parse(io.out) as { hyperparameters: { cfConfig: Record<string, number>; visualConfig: Record<string, number> } };
    expect(trained.hyperparameters.cfConfig).toEqual({ factors: 8, iterations: 4 });
    expect(trained.hyperparameters.visualConfig).toMatchObject({ epochs: 3 });
    io.out = '';
    expect(await run('recommend', '--user', 's00002', '--k', '3', '--model', 'visual-hybrid', '--json', '-w', ws)).toBe(0);
    expect((JSON.parse(io.out) as { items: unknown[] }).items).toHaveLength(3);
    expectOneLineError(await run('train', 'dvbpr', '--config', 'channels=8', '--no-eval', '-q', '-w', ws), /channels must be a non-empty list/);
    io.err = '';
    expectOneLineError(await run('train', 'vbpr', '--encoder', join(root, 'no-encoder'), '--no-eval', '-q', '-w', ws), /no-encoder/);
  });

  it('trains the CNN image encoder with its descriptor heads, indexes the catalog with it and finds a product by its own photo', async () => {
    const out = join(root, 'encoder');
    const config = 'widths=4/8,embedDim=8,batchSize=16';
    expect(await run('encoder', 'train', '--size', '16', '--epochs', '1', '--config', config, '--out', out, '--json', '-w', ws)).toBe(0);
    const summary = JSON.parse(io.out) as { products: number; encoder: { inputSize: number; cnnInputSize: number; descriptorWeight: number } };
    expect(summary.products).toBe(80);
    expect(summary.encoder).toMatchObject({ inputSize: 32, cnnInputSize: 16, descriptorWeight: 1 });
    io.out = '';
    expect(await run('index', 'build', '--encoder', out, '--json', '-w', ws)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ embedded: 80, encoder: { inputSize: 32, descriptorWeight: 1 } });
    const store = openStore(join(ws, 'vitrine.db'));
    const item = store.getItem('p000003')!;
    store.close();
    io.out = '';
    const code = await run('search-image', resolve(ws, 'images', item.image!), '--k', '3', '--json', '-w', ws);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const found = JSON.parse(io.out) as { encoder: string; items: { itemId: string }[] };
    expect(found.items[0]!.itemId).toBe('p000003');
    io.err = '';
    expectOneLineError(await run('encoder', 'train', '--config', 'detailFactor=9', '--out', join(root, 'enc-bad'), '-q', '-w', ws), /detailFactor/);
    expect(existsSync(join(root, 'enc-bad'))).toBe(false);
  });

  it('lists shoppers with derived features', async () => {
    expect(await run('shoppers', '--features', '--limit', '2', '--json', '-w', ws)).toBe(0);
    const rows = JSON.parse(io.out) as { shopperId: string; features: { favouriteCategories: string[]; frequency: number } }[];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.features.favouriteCategories.length).toBeGreaterThan(0);
    expect(rows[0]!.features.frequency).toBeGreaterThan(0);
  });

  it('refuses to run the demo into a store that holds another shop', async () => {
    const other = join(root, 'ws-other');
    mkdirSync(join(root, 'other'), { recursive: true });
    const data = join(root, 'other', 'u.data');
    writeFileSync(data, '1\t10\t5\t881250949\n2\t20\t4\t881250950\n');
    expect(await run('import', data, '-w', other)).toBe(0);
    io.err = '';
    const code = await run('demo', '--items', '20', '--shoppers', '10', '--days', '2', '-q', '-w', other);
    expect(code).toBe(2);
    expect(io.err).toMatch(/CONFLICT/);
  });
});

describe('the demo shop workspace', () => {
  it('reads the committed default models when the workspace has none and its store is the default world', async () => {
    const ws = join(root, 'ws-demo-shop');
    mkdirSync(ws, { recursive: true });
    const store = openStore(join(ws, 'vitrine.db'));
    store.setMeta('demoWorld', JSON.stringify(DEFAULT_DEMO_WORLD));
    store.close();
    expect(await run('recommend', '--user', 's00003', '--k', '3', '--json', '-w', ws)).toBe(0);
    const rec = JSON.parse(io.out) as { source: string; items: unknown[] };
    expect([rec.source, rec.items.length]).toEqual(['user', 3]);
    expect(io.err).toMatch(/using the committed default model "als"/);
    io.out = '';
    expect(await run('similar', 'p000003', '--k', '3', '--json', '-w', ws)).toBe(0);
    expect((JSON.parse(io.out) as { items: unknown[] }).items).toHaveLength(3);
    // another shop's store: the workspace's own models only
    const other = join(root, 'ws-other-shop');
    mkdirSync(other, { recursive: true });
    const s2 = openStore(join(other, 'vitrine.db'));
    s2.setMeta('demoWorld', JSON.stringify({ ...DEFAULT_DEMO_WORLD, seed: 8 }));
    s2.close();
    io.err = '';
    expectOneLineError(await run('recommend', '--user', 's00003', '-w', other), /MODEL_NOT_FOUND/);
  });
});
