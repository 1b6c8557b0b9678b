import { describe, expect, it } from 'vitest';
import { IMPORT_FORMATS } from './importer.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.js';
import { IMPORTERS, detectFormat, importPath } from './registry.js';
import { gz, idx, put, rejection, tmpDir } from './test-utils/fixtures.js';

const imagesDir = '/nonexistent';

describe('detectFormat', () => {
  it('recognises each layout, from a file or a folder', async () => {
    const ml = tmpDir();
    put(ml, 'u.data', '1\t2\t3\t4\n');
    const amazon = put(tmpDir(), 'Beauty_5.json.gz', gz('{"reviewerID": "u", "asin": "a", "overall": 5, "unixReviewTime": 1}\n'));
    const hm = tmpDir();
    put(hm, 'transactions_train.csv', 't_dat,customer_id,article_id,price\n');
    put(hm, 'articles.csv', 'article_id,prod_name,product_type_name\n');
    const fm = tmpDir();
    put(fm, 'train-images-idx3-ubyte.gz', gz(idx(IDX_IMAGES_MAGIC, [0, 2, 2], new Uint8Array(0))));
    put(fm, 'train-labels-idx1-ubyte.gz', gz(idx(IDX_LABELS_MAGIC, [0], new Uint8Array(0))));
    const world = tmpDir();
    put(world, 'world.json', '{"format": "vitrine-world", "version": 1}');
    const csv = put(tmpDir(), 'clicks.csv', 'who,what\n');
    expect(await detectFormat(ml)).toBe('movielens');
    expect(await detectFormat(`${ml}/u.data`)).toBe('movielens');
    expect(await detectFormat(amazon)).toBe('amazon');
    expect(await detectFormat(hm)).toBe('hm');
    expect(await detectFormat(fm)).toBe('fashion-mnist');
    expect(await detectFormat(`${fm}/train-labels-idx1-ubyte.gz`)).toBe('fashion-mnist');
    expect(await detectFormat(world)).toBe('world');
    expect(await detectFormat(csv)).toBeUndefined();
    expect(await detectFormat(csv, { mapping: { user: 'who', item: 'what' } })).toBe('generic');
  });

  it('does not take a JSON Lines file of other records for Amazon reviews', async () => {
    const path = put(tmpDir(), 'events.jsonl', '{"user": "u", "item": "i"}\n');
    expect(await detectFormat(path)).toBeUndefined();
  });

  it('has one importer per format', () => {
    expect(Object.keys(IMPORTERS).sort()).toEqual([...IMPORT_FORMATS].sort());
    for (const f of IMPORT_FORMATS) expect(IMPORTERS[f].format).toBe(f);
  });
});

describe('importPath', () => {
  it('fails with UNKNOWN_FORMAT, with a hint, for an unknown --format or an undetectable path', async () => {
    const path = put(tmpDir(), 'notes.txt', 'hello\n');
    const e1 = await rejection(importPath(path, { imagesDir, format: 'parquet' }));
    expect(e1.code).toBe('UNKNOWN_FORMAT');
    expect(e1.hint).toContain('pass --format one of movielens, amazon, hm, fashion-mnist, world, generic');
    expect((await rejection(importPath(path, { imagesDir }))).code).toBe('UNKNOWN_FORMAT');
  });

  it('fails with FILE_NOT_FOUND for a missing path', async () => {
    expect((await rejection(importPath('/no/such/place/u.data', { imagesDir }))).code).toBe('FILE_NOT_FOUND');
  });

  it('imports with the detected format, or the one given', async () => {
    const dir = tmpDir();
    const file = put(dir, 'my-ratings.tsv', '1\t2\t3\t881250949\n');
    expect((await importPath(file, { imagesDir, format: 'movielens' })).events).toHaveLength(1);
    put(dir, 'u.data', '1\t2\t3\t881250949\n1\t3\t4\t881250949\n');
    const batch = await importPath(dir, { imagesDir });
    expect(batch.report.format).toBe('movielens');
    expect(batch.events).toHaveLength(2);
  });

  it('stops with ABORTED when the signal fires, before or during the import', async () => {
    const dir = tmpDir();
    put(dir, 'u.data', Array.from({ length: 20000 }, (_, k) => `${k % 50}\t${k}\t3\t881250949`).join('\n'));
    const before = new AbortController();
    before.abort();
    expect((await rejection(importPath(dir, { imagesDir, signal: before.signal }))).code).toBe('ABORTED');
    const during = new AbortController();
    let calls = 0;
    const onProgress = (): void => {
      calls++;
      during.abort();
    };
    expect((await rejection(importPath(dir, { imagesDir, signal: during.signal, onProgress }))).code).toBe('ABORTED');
    expect(calls).toBe(1);
  });
});
