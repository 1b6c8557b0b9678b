import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { exactTopK, fastExactTopK } from './ann-exact.js';
import { indexExists } from './ann-files.js';
import { VectorIndex } from './ann-index.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-ann-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomVectors(n: number, dim: number, seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n * dim)) as Float32Array;
}

const keysOf = (n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('exact search', () => {
  it('the usearch SIMD scan agrees with the TypeScript reference scan', () => {
    const dim = 37;
    const n = 500;
    const m = randomVectors(n, dim, 11);
    const queries = randomVectors(5, dim, 20);
    for (let q = 0; q < 5; q++) {
      const query = queries.subarray(q * dim, (q + 1) * dim); // views at an offset, as callers slice query batches
      const fast = fastExactTopK(m, n, dim, query, 10);
      const ref = exactTopK(m, n, dim, query, 10);
      expect(Array.from(fast.rows)).toEqual(Array.from(ref.rows));
      fast.scores.forEach((s, i) => expect(s).toBeCloseTo(ref.scores[i]!, 3));
    }
    expect(fastExactTopK(m, 3, dim, m.subarray(0, dim), 10).rows).toHaveLength(3);
    const tail = m.subarray(100 * dim); // a matrix view that does not start at its buffer's start
    expect(Array.from(fastExactTopK(tail, 50, dim, queries.subarray(0, dim), 5).rows)).toEqual(Array.from(exactTopK(tail, 50, dim, queries.subarray(0, dim), 5).rows));
  });
});

describe('VectorIndex', () => {
  it('finds known neighbours by cosine, adds, replaces and removes without a rebuild', () => {
    const idx = new VectorIndex({ dim: 3 });
    idx.add('red', Float32Array.of(10, 0, 0));
    idx.add('green', Float32Array.of(0, 1, 0));
    idx.add('orange', Float32Array.of(1, 0.5, 0));
    expect(idx.size).toBe(3);
    const hits = idx.search(Float32Array.of(1, 0.1, 0), 2);
    expect(hits.map((h) => h.key)).toEqual(['red', 'orange']);
    expect(hits[0]!.similarity).toBeCloseTo(1 / Math.hypot(1, 0.1), 5);
    expect(idx.remove('red')).toBe(true);
    expect(idx.remove('red')).toBe(false);
    expect(idx.search(Float32Array.of(1, 0, 0), 1)[0]!.key).toBe('orange');
    idx.add('green', Float32Array.of(1, 0, 0)); // replaced
    expect(idx.size).toBe(2);
    expect(idx.search(Float32Array.of(1, 0, 0), 1)[0]).toEqual({ key: 'green', similarity: expect.closeTo(1, 5) });
    expect(() => idx.add('bad', Float32Array.of(1, 2))).toThrow(/has 2 values; this index holds 3-d vectors/);
    expect(() => idx.add('nan', Float32Array.of(1, Number.NaN, 0))).toThrow(/non-finite/);
  });

  it('ranks by raw inner product for metric ip, also through the graph', () => {
    const idx = new VectorIndex({ dim: 2, metric: 'ip' });
    idx.addMany(['small', 'big'], Float32Array.of(1, 0, 5, 1));
    const hits = idx.search(Float32Array.of(2, 0), 2);
    expect(hits).toEqual([{ key: 'big', similarity: expect.closeTo(10, 4) }, { key: 'small', similarity: expect.closeTo(2, 5) }]);
    expect(idx.searchHnsw(Float32Array.of(2, 0), 2)).toEqual(hits);
    idx.add('huge', Float32Array.of(50, 0)); // added to the graph in place
    expect(idx.searchHnsw(Float32Array.of(2, 0), 1)).toEqual([{ key: 'huge', similarity: expect.closeTo(100, 3) }]);
  });

  it('keeps recall on inner products when norms vary widely', () => {
    const dim = 16;
    const n = 2000;
    const rng = new Rng(8);
    const data = randomVectors(n, dim, 9);
    for (let i = 0; i < n; i++) {
      const scale = Math.exp(rng.normal(0, 0.8));
      for (let j = 0; j < dim; j++) data[i * dim + j]! *= scale;
    }
    const idx = new VectorIndex({ dim, metric: 'ip', mode: 'hnsw' });
    idx.addMany(keysOf(n), data);
    const queries = randomVectors(40, dim, 10);
    let agree = 0;
    for (let q = 0; q < 40; q++) {
      const v = queries.subarray(q * dim, (q + 1) * dim);
      const exact = new Set(idx.searchExact(v, 10).map((h) => h.key));
      agree += idx.search(v, 10).filter((h) => exact.has(h.key)).length;
    }
    expect(agree / 400).toBeGreaterThan(0.95);
  });

  it('agrees with exact search through HNSW on a small set, and switches paths at the threshold', () => {
    const dim = 16;
    const n = 400;
    const idx = new VectorIndex({ dim, exactThreshold: 300 });
    idx.addMany(keysOf(250), randomVectors(250, dim, 1));
    expect(idx.usesHnsw).toBe(false);
    idx.addMany(keysOf(n - 250, 'q'), randomVectors(n - 250, dim, 2));
    expect(idx.usesHnsw).toBe(true);
    const queries = randomVectors(30, dim, 3);
    let agree = 0;
    for (let q = 0; q < 30; q++) {
      const v = queries.subarray(q * dim, (q + 1) * dim);
      const exact = new Set(idx.searchExact(v, 10).map((h) => h.key));
      agree += idx.search(v, 10).filter((h) => exact.has(h.key)).length;
    }
    expect(agree / 300).toBeGreaterThan(0.95);
  });

  it('persists next to the store and reopens with the same answers, after removals', () => {
    const dim = 8;
    const path = join(dir, 'indexes', 'images');
    const idx = new VectorIndex({ dim, mode: 'hnsw' });
    idx.addMany(keysOf(100), randomVectors(100, dim, 4));
    idx.remove('p7');
    idx.remove('p99');
    idx.meta = { encoder: { kind: 'classic' } };
    idx.save(path);
    expect(indexExists(path)).toBe(true);
    const back = VectorIndex.open(path);
    expect(back.size).toBe(98);
    expect(VectorIndex.open(path, { expansionSearch: 200 }).config.expansionSearch).toBe(200);
    expect(back.has('p7')).toBe(false);
    expect(back.meta).toEqual({ encoder: { kind: 'classic' } });
    const q = randomVectors(1, dim, 5);
    expect(back.search(q, 5)).toEqual(idx.search(q, 5));
    expect(back.vectorOf('p3')).toEqual(idx.vectorOf('p3'));
    // Keep working on the reopened index, save again: one generation of data files remains.
    back.add('new', q);
    expect(back.search(q, 1)[0]!.key).toBe('new');
    back.save(path);
    expect(VectorIndex.open(path).search(q, 1)[0]!.key).toBe('new');
    const files = readdirSync(join(dir, 'indexes'));
    expect(files.filter((f) => f.endsWith('.f32'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.usearch'))).toHaveLength(1);
  });

  it('refuses a missing or corrupt index with clear errors', () => {
    expect(() => VectorIndex.open(join(dir, 'none'))).toThrow(/no vector index at .*none/);
    const path = join(dir, 'broken');
    const idx = new VectorIndex({ dim: 2, mode: 'exact' });
    idx.add('a', Float32Array.of(1, 2));
    idx.save(path);
    const f32 = readdirSync(dir).find((f) => f.startsWith('broken.') && f.endsWith('.f32'))!;
    writeFileSync(join(dir, f32), Buffer.from(Float32Array.of(9, 9).buffer));
    expect(() => VectorIndex.open(path)).toThrow(/checksum mismatch/);
    expect(existsSync(join(dir, 'broken.json'))).toBe(true);
  });
});
