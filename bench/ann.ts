import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import type { ProgressFn } from '../src/core/logger.js';
import { CsrMatrix } from '../src/data/csr.js';
import { generateWorld, writeWorld } from '../src/data/world/index.js';
import { AlsModel } from '../src/recommend/als.js';
import { INDEX_DEFAULTS, IP_INDEX_DEFAULTS } from '../src/vision/ann-config.js';
import { VectorIndex } from '../src/vision/ann-index.js';
import { ClassicEncoder } from '../src/vision/classic-encoder.js';
import { loadImage, type PreparedImage } from '../src/vision/prepare.js';
import { findDataset } from './datasets.js';
import { environment } from './environment.js';
import { median, quantile, round } from './stats.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * `vitrine bench ann`: HNSW (usearch) against exact brute force on real
 * embeddings. recall@10 = |HNSW top-10 ∩ exact top-10| / 10, averaged over
 * queries that are not in the index; latency per single query on one thread.
 * Sources: the classic encoder over a generated world's product images and
 * over the H&M product photos; at 100,000 vectors, (a) image embeddings
 * grown from the real ones by interpolating between two random real
 * embeddings and adding a little noise (said in the output) and (b) the item
 * factors of ALS fitted on a generated world of 100,000 products, searched
 * by inner product with shoppers' factors as queries. Targets (the See
 * issue): recall@10 >= 0.95, query p99 <= 1 ms at 100,000 vectors.
 */

export interface AnnBenchSizes {
  worldItems?: number;
  /** Include the H&M images (needs the datasets). */
  hm?: boolean;
  scaled?: number;
  alsItems?: number;
  alsShoppers?: number;
  queries?: number;
  /** expansionSearch values swept at query time on image sets (the graph is built once per connectivity). */
  efs?: number[];
  /** Graph settings tried on the ALS factors. */
  alsGraphs?: GraphSetting[];
}

/** One graph: connectivity M and expansionAdd, searched at each expansionSearch in efs. */
export interface GraphSetting {
  M: number;
  efAdd: number;
  efs: number[];
}

type Row = BenchResult['rows'][number];
interface Vectors { name: string; metric: 'cos' | 'ip'; dim: number; keys: string[]; data: Float32Array; queries: Float32Array; source: string }

const TARGET = { recall: 0.95, p99Ms: 1, scale: 100_000 };

export async function runAnnBench(opts: BenchOptions & { sizes?: AnnBenchSizes } = {}): Promise<BenchResult> {
  const runs = Math.max(1, opts.runs ?? 3);
  const size = {
    worldItems: 5000, hm: true, scaled: 100_000, alsItems: 100_000, alsShoppers: 8000, queries: 500, efs: [32, 48, 64, 128],
    alsGraphs: [{ M: INDEX_DEFAULTS.connectivity, efAdd: INDEX_DEFAULTS.expansionAdd, efs: [256] }, { M: IP_INDEX_DEFAULTS.connectivity!, efAdd: INDEX_DEFAULTS.expansionAdd, efs: [128, 192, 256] }],
    ...opts.sizes,
  };
  const images: GraphSetting[] = [{ M: INDEX_DEFAULTS.connectivity, efAdd: INDEX_DEFAULTS.expansionAdd, efs: size.efs }];
  const report = opts.onProgress ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'vitrine-bench-ann-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const world = await worldEmbeddings(scratch, size.worldItems, size.queries, report);
    notes.push(world.source);
    rows.push(...(await measure(world, runs, images, scratch, report)));
    const sets: Vectors[] = [world];
    if (size.hm) {
      const hm = await hmEmbeddings(opts.data, size.queries, report);
      notes.push(hm.source);
      sets.push(hm);
      rows.push(...(await measure(hm, runs, images, scratch, report)));
    }
    const scaled = scaleUp(sets, size.scaled, size.queries);
    notes.push(scaled.source);
    rows.push(...(await measure(scaled, runs, images, scratch, report)));
    const als = await alsFactors(size.alsItems, size.alsShoppers, size.queries, report);
    notes.push(als.source);
    rows.push(...(await measure(als, runs, size.alsGraphs, scratch, report)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    suite: 'ann',
    protocol: [
      `HNSW (usearch) against exact brute force (vitrine's exact path, usearch's SIMD scan); M = connectivity, efAdd = expansionAdd, ef = expansionSearch`,
      `defaults chosen from these rows: cos M=${INDEX_DEFAULTS.connectivity} efAdd=${INDEX_DEFAULTS.expansionAdd} ef=${INDEX_DEFAULTS.expansionSearch}; ip M=${IP_INDEX_DEFAULTS.connectivity} efAdd=${INDEX_DEFAULTS.expansionAdd} ef=${IP_INDEX_DEFAULTS.expansionSearch}`,
      'recall@10: |HNSW top-10 ∩ exact top-10| / 10, mean over queries not in the index; latency: one query at a time, one thread',
      `build: bulk insertion of all vectors (usearch threads: all cores), median of ${runs} runs; latency: each query's fastest of ${runs} passes, then p50/p99 over queries (p99AllMs: p99 over every timing)`,
      `targets: recall@10 >= ${TARGET.recall} and query p99 <= ${TARGET.p99Ms} ms at ${TARGET.scale.toLocaleString('en')} vectors`,
    ],
    rows,
    notes,
    environment: environment(),
  };
}

/** Rows for one vector set: per graph setting, build time, then recall and latency at each expansionSearch. */
async function measure(v: Vectors, runs: number, graphs: GraphSetting[], scratch: string, report: ProgressFn): Promise<Row[]> {
  const nq = v.queries.length / v.dim;
  const query = (q: number): Float32Array => v.queries.subarray(q * v.dim, (q + 1) * v.dim);
  const out: Row[] = [];
  let truth: Set<string>[] | undefined;
  let exactMs: number[] = [];
  for (const g of graphs) {
    const builds: number[] = [];
    let index: VectorIndex | undefined;
    for (let r = 0; r < runs; r++) {
      report({ phase: `build ${v.name} M=${g.M}`, done: r, total: runs });
      index = new VectorIndex({ dim: v.dim, metric: v.metric, mode: 'hnsw', connectivity: g.M, expansionAdd: g.efAdd });
      const t0 = performance.now();
      index.addMany(v.keys, v.data);
      builds.push((performance.now() - t0) / 1000);
    }
    const path = join(scratch, `${v.name.replace(/[^a-z0-9]+/gi, '-')}-m${g.M}`);
    index!.save(path);
    if (truth === undefined) [truth, exactMs] = exactTruth(index!, query, nq);
    for (const ef of g.efs) {
      const { recall, p50, p99, p99All } = queryAt(VectorIndex.open(path, { expansionSearch: ef }), query, nq, truth, runs);
      const atScale = v.keys.length >= TARGET.scale;
      out.push({
        vectors: v.name, n: v.keys.length, dim: v.dim, metric: v.metric, M: g.M, efAdd: g.efAdd, ef,
        buildS: round(median(builds), 2), 'recall@10': round(recall, 4), p50Ms: round(p50, 3), p99Ms: round(p99, 3), p99AllMs: round(p99All, 3),
        exactP50Ms: round(quantile(exactMs, 0.5), 2),
        pass: recall >= TARGET.recall && (!atScale || p99 <= TARGET.p99Ms),
      });
    }
  }
  return out;
}

/** The exact top-10 of every query, and the exact path's latencies. */
function exactTruth(index: VectorIndex, query: (q: number) => Float32Array, nq: number): [Set<string>[], number[]] {
  const ms: number[] = [];
  const truth = Array.from({ length: nq }, (_, q) => {
    const t0 = performance.now();
    const hits = index.searchExact(query(q), 10);
    ms.push(performance.now() - t0);
    return new Set(hits.map((h) => h.key));
  });
  return [truth, ms];
}

/**
 * recall@10 against `truth`, and latency percentiles over queries where each
 * query's latency is its fastest of `runs` passes (this machine is shared: a
 * slower pass times other processes, not the index); `p99All` is the p99 of
 * every timing of every pass, for comparison.
 */
function queryAt(idx: VectorIndex, query: (q: number) => Float32Array, nq: number, truth: Set<string>[], runs: number): { recall: number; p50: number; p99: number; p99All: number } {
  let found = 0;
  const best = new Float64Array(nq).fill(Infinity);
  const all: number[] = [];
  for (let r = 0; r < runs; r++) {
    for (let q = 0; q < nq; q++) {
      const t0 = performance.now();
      const hits = idx.search(query(q), 10);
      const ms = performance.now() - t0;
      all.push(ms);
      best[q] = Math.min(best[q]!, ms);
      if (r === 0) found += hits.filter((h) => truth[q]!.has(h.key)).length;
    }
  }
  const b = Array.from(best);
  return { recall: found / (10 * nq), p50: quantile(b, 0.5), p99: quantile(b, 0.99), p99All: quantile(all, 0.99) };
}

/** Embeds image files with the classic encoder; unreadable files are left out. */
async function embedFiles(paths: string[], encoder: ClassicEncoder, phase: string, report: ProgressFn): Promise<{ keys: string[]; data: Float32Array; perSec: number }> {
  const keys: string[] = [];
  const rows: Float32Array[] = [];
  const t0 = performance.now();
  for (let s = 0; s < paths.length; s += 32) {
    const batch = paths.slice(s, s + 32);
    const settled = await Promise.allSettled(batch.map((p) => loadImage(p, { size: encoder.inputSize })));
    const ok: PreparedImage[] = [];
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        ok.push(r.value);
        keys.push(batch[i]!);
      }
    });
    rows.push(...(await encoder.embed(ok)));
    report({ phase, done: Math.min(s + 32, paths.length), total: paths.length });
  }
  const data = new Float32Array(rows.length * encoder.dim);
  rows.forEach((r, i) => data.set(r, i * encoder.dim));
  return { keys, data, perSec: keys.length / ((performance.now() - t0) / 1000) };
}

/** Splits the last `nq` rows off as queries (products not in the index). */
function holdOut(name: string, metric: 'cos' | 'ip', dim: number, keys: string[], data: Float32Array, nq: number, source: string): Vectors {
  const q = Math.min(nq, Math.floor(keys.length / 10));
  const n = keys.length - q;
  return { name, metric, dim, keys: keys.slice(0, n), data: data.slice(0, n * dim), queries: data.slice(n * dim), source };
}

async function worldEmbeddings(scratch: string, items: number, nq: number, report: ProgressFn): Promise<Vectors> {
  const world = await generateWorld({ items, shoppers: 50, days: 2, seed: 11 });
  const dir = join(scratch, 'world');
  await writeWorld(world, dir, { renderImages: true, onProgress: report });
  const enc = new ClassicEncoder();
  const paths = world.items.map((it) => join(dir, 'images', `${it.id}.png`));
  const e = await embedFiles(paths, enc, 'embed world images', report);
  return holdOut(`world images (${items})`, 'cos', enc.dim, e.keys, e.data, nq, `world images: a generated world (seed 11) of ${items} products, 128x128 PNG, classic encoder (${enc.dim}-d) at ${Math.round(e.perSec)} images/s`);
}

async function hmEmbeddings(data: string | undefined, nq: number, report: ProgressFn): Promise<Vectors> {
  const root = findDataset('hm-fashion-subset/images', data);
  const paths = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.jpg'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const enc = new ClassicEncoder();
  const e = await embedFiles(paths, enc, 'embed H&M images', report);
  // Shuffle so the held-out queries are not all from the last article group.
  const order = new Rng(3).shuffle(Array.from(e.keys, (_, i) => i));
  const keys = order.map((i) => e.keys[i]!);
  const shuffled = new Float32Array(e.data.length);
  order.forEach((i, r) => shuffled.set(e.data.subarray(i * enc.dim, (i + 1) * enc.dim), r * enc.dim));
  return holdOut(`H&M images (${keys.length})`, 'cos', enc.dim, keys, shuffled, nq, `H&M images: ${keys.length} product photos (360x540 JPEG) from hm-fashion-subset, classic encoder at ${Math.round(e.perSec)} images/s`);
}

/** n synthetic image embeddings: normalise((1 - t) a + t b + noise), a and b random real embeddings, t ~ U(0, 0.5), noise sd 0.01. */
function scaleUp(sets: Vectors[], n: number, nq: number): Vectors {
  const dim = sets[0]!.dim;
  const real = sets.flatMap((s) => Array.from({ length: s.keys.length }, (_, i) => s.data.subarray(i * dim, (i + 1) * dim)));
  const rng = new Rng(17);
  const total = n + nq;
  const data = new Float32Array(total * dim);
  for (let r = 0; r < total; r++) {
    const a = rng.pick(real);
    const b = rng.pick(real);
    const t = rng.uniform(0, 0.5);
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const x = (1 - t) * a[j]! + t * b[j]! + rng.normal(0, 0.01);
      data[r * dim + j] = x;
      s += x * x;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) data[r * dim + j]! *= inv;
  }
  const keys = Array.from({ length: total }, (_, i) => `s${i}`);
  const src = `image embeddings at ${n.toLocaleString('en')}: grown from the ${real.length} real ones above (not new photos): normalise((1-t)a + t b + N(0, 0.01^2)), t ~ U(0, 0.5)`;
  return { name: `images scaled (${n})`, metric: 'cos', dim, keys: keys.slice(0, n), data: data.subarray(0, n * dim), queries: data.slice(n * dim), source: src };
}

/** ALS item factors of a generated world; queries are shoppers' factors (inner product, as recommendation scores). */
async function alsFactors(items: number, shoppers: number, nq: number, report: ProgressFn): Promise<Vectors> {
  report({ phase: 'ALS world', done: 0, total: 1 });
  const world = await generateWorld({ items, shoppers, days: 60, seed: 5 });
  const e = world.events;
  const ui = CsrMatrix.fromCoo(world.shoppers.length, world.items.length, e.shopper.subarray(0, e.n), e.item.subarray(0, e.n));
  const als = new AlsModel({ factors: 64, iterations: 15, seed: 0 });
  const t0 = performance.now();
  await als.fit({ ui });
  const fitS = (performance.now() - t0) / 1000;
  report({ phase: 'ALS world', done: 1, total: 1 });
  const { userFactors, itemFactors } = als.factors();
  const f = 64;
  // Shoppers with no training events have zero factors (every item scores 0): rank.ts serves them by popularity, so they are not queries.
  const active = Array.from({ length: world.shoppers.length }, (_, u) => u).filter((u) => ui.rowLength(u) > 0);
  const users = new Rng(9).shuffle(active).slice(0, nq);
  const queries = new Float32Array(users.length * f);
  users.forEach((u, r) => queries.set(userFactors.subarray(u * f, (u + 1) * f), r * f));
  const keys = world.items.map((it) => it.id);
  const src = `ALS item factors: implicit ALS (64 factors, 15 iterations, fit ${fitS.toFixed(1)} s) on a generated world of ${items.toLocaleString('en')} products, ${shoppers.toLocaleString('en')} shoppers, 60 days (${e.n.toLocaleString('en')} events); queries: ${users.length} random shoppers with events (their factors); inner product`;
  return { name: `ALS items (${items})`, metric: 'ip', dim: f, keys, data: itemFactors, queries, source: src };
}
