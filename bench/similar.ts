import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defaultModelsDir } from '../src/cli/demo-paths.js';
import { emptyReport, type Item } from '../src/data/schema.js';
import { generateWorld, renderImagesInto, WORLD_FILES, worldEvents } from '../src/data/world/index.js';
import { initEngine } from '../src/engine/engine.js';
import { trainBundle } from '../src/evaluate/train-bundle.js';
import { buildApp } from '../src/serve/app.js';
import { IndexPhotoSearch } from '../src/serve/photo-adapter.js';
import { similarCandidates } from '../src/serve/recommend/similar.js';
import type { SimilarDto } from '../src/serve/schemas/recommend.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { buildImageIndex } from '../src/vision/build-index.js';
import { loadEncoder } from '../src/vision/encoder-registry.js';
import { environment } from './environment.js';
import { median, round } from './stats.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * `vitrine bench similar`: how alike a product page's "similar products"
 * are to the product, as the share of the top k that share its category,
 * and its category, primary colour and pattern, for several weights w of
 * the photos in the blend (0: the model's item similarity alone; 1: the
 * nearest images alone). On the default world (the demo shop's: 2,000
 * products, seed 7), ALS trained on all its events, the image index built
 * with the committed CNN encoder (or `--encoder`), the service's own route
 * through app.inject.
 */
export interface SimilarBenchOptions extends BenchOptions {
  weights?: readonly number[];
  k?: number;
  /** Every n-th product is asked about (default 10: 200 of 2,000). */
  sampleEvery?: number;
}

export const SIMILAR_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** A relevance: two products agree when key() gives both the same defined value. */
export interface Agreement {
  name: string;
  key: (item: Item) => string | undefined;
}

export const WORLD_AGREEMENTS: readonly Agreement[] = [
  { name: 'category', key: (it) => it.category },
  { name: 'category+colour+pattern', key: (it) => `${it.category}|${String(it.attributes.primaryColour)}|${String(it.attributes.pattern)}` },
];

type Row = BenchResult['rows'][number];

/** For each w: the share of the top k similar products agreeing with the product under each relevance, and the answer's latency. */
export async function similarAgreement(
  app: FastifyInstance, items: readonly Item[], sample: readonly string[], opts: { weights: readonly number[]; k: number; agreements: readonly Agreement[]; model?: string },
): Promise<Row[]> {
  const byId = new Map(items.map((it) => [it.id, it]));
  const rows: Row[] = [];
  for (const w of opts.weights) {
    const agree = opts.agreements.map(() => 0);
    let shown = 0;
    const ms: number[] = [];
    const used = new Set<number>();
    for (const id of sample) {
      const product = byId.get(id)!;
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: `/api/recommendations/similar/${encodeURIComponent(id)}?k=${opts.k}&visual=${w}${opts.model === undefined ? '' : `&model=${opts.model}`}` });
      ms.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`similar ${id}: ${res.statusCode} ${res.body}`);
      const body = res.json() as SimilarDto;
      used.add(body.visualWeight);
      for (const s of body.items) {
        const other = byId.get(s.itemId);
        shown++;
        opts.agreements.forEach((a, r) => {
          const v = a.key(product);
          if (other !== undefined && v !== undefined && a.key(other) === v) agree[r]!++;
        });
      }
    }
    rows.push({
      visualWeight: w,
      ...Object.fromEntries(opts.agreements.map((a, r) => [`same ${a.name}`, round(shown === 0 ? 0 : agree[r]! / shown, 3)])),
      products: sample.length,
      // A product the model has no vector for is answered by its look-alikes whatever w asks.
      weightsUsed: [...used].sort((a, b) => a - b).join('/'),
      'median ms': round(median(ms), 2),
    });
  }
  return rows;
}

export async function runSimilarBench(opts: SimilarBenchOptions = {}): Promise<BenchResult> {
  const report = opts.onProgress ?? (() => undefined);
  await initEngine();
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-similar-'));
  const store = openSqliteStore(join(dir, 'vitrine.db'));
  const photo = new IndexPhotoSearch({ store: () => store, item: (id) => store.getItem(id), bundle: () => undefined });
  let app: FastifyInstance | undefined;
  try {
    const world = await generateWorld({ items: 2000, shoppers: 1000, days: 60, seed: 7 }, { onProgress: report });
    store.importBatch({ items: world.items, shoppers: world.shoppers, events: worldEvents(world), report: emptyReport('bench', 'world') });
    const imagesDir = join(dir, 'images');
    await renderImagesInto(world.items, join(imagesDir, WORLD_FILES.images), world.config.seed);
    const { bundle } = await trainBundle({ dataset: store.loadDataset(), kind: 'als', evaluate: false });
    const encoderDir = opts.encoder ?? join(defaultModelsDir(), 'encoder');
    const encoder = await loadEncoder(encoderDir);
    const built = await buildImageIndex(store, encoder, { imagesDir, onProgress: report });
    await photo.use({ name: 'images', path: join(dir, 'images-index'), index: built.index, encoder });
    app = await buildApp({ store, bundles: { als: bundle }, photoSearch: photo, config: { rateLimit: { max: 0 } } });
    const every = opts.sampleEvery ?? 10;
    const sample = world.items.filter((_, i) => i % every === 3).map((it) => it.id);
    const k = opts.k ?? 10;
    const rows = await similarAgreement(app, world.items, sample, { weights: opts.weights ?? SIMILAR_WEIGHTS, k, agreements: WORLD_AGREEMENTS });
    return {
      suite: 'similar',
      protocol: [
        `the default world (2,000 products, 1,000 shoppers, 60 days, seed 7); ALS trained on all its events; image index of the ${encoder.kind} encoder ${encoderDir} (${encoder.dim}-d)`,
        `GET /api/recommendations/similar/:id?k=${k}&visual=w for every ${every}th product (${sample.length}); score = (1 - w) ALS item cosine + w image cosine over the ${similarCandidates(k)} nearest images`,
        'same X: share of the shown products that share X with the asked product',
      ],
      rows,
      notes: ['a product ALS has no vector for (no events) is answered by its look-alikes (w 1) whatever w asks: weightsUsed lists the weights the answers report'],
      environment: environment(),
    };
  } finally {
    await app?.close();
    await photo.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
