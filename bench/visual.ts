import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressFn } from '../src/core/logger.js';
import { datasetFromBatch, type Dataset } from '../src/data/dataset.js';
import { importPath } from '../src/data/importers/index.js';
import { generateWorld, writeWorld } from '../src/data/world/index.js';
import { initEngine } from '../src/engine/engine.js';
import { runExperiment } from '../src/evaluate/experiment.js';
import type { ExperimentRow } from '../src/evaluate/experiment-types.js';
import { keepImagedItems, prepareVisualInputs, type VisualInputs } from '../src/evaluate/item-visuals.js';
import type { ModelKind } from '../src/recommend/recommender.js';
import { fail } from '../src/core/errors.js';
import type { CnnEncoderConfig } from '../src/vision/cnn/config.js';
import { loadEncoder } from '../src/vision/encoder-registry.js';
import { findOptionalDataset } from './datasets.js';
import { environment } from './environment.js';
import { round } from './stats.js';
import { trainBenchEncoder, type BenchEncoder } from './visual-encoder.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * `vitrine bench visual`: the visually-aware recommenders (VBPR, DVBPR)
 * against BPR, the content model and the hybrid, on the default synthetic
 * world (2,000 products, 1,000 shoppers, 60 days, seed 7) and on the H&M
 * subset (purchases of articles that have an image), under leave-last-out
 * (overall) and cold-items-0.2 (20% of the items held out of training; every
 * pair with them is a test pair), full ranking. AUC, NDCG@10, HR@10.
 */
export interface VisualBenchOptions extends BenchOptions {
  /** Which datasets (default both; "hm" is skipped with a note when the datasets folder is not found). */
  datasets?: readonly ('world' | 'hm')[];
  models?: readonly ModelKind[];
  protocols?: readonly string[];
  /** Side of the prepared item images (default 64). */
  imageSize?: number;
  /** A world folder written before (`vitrine world --out`), instead of generating the default world. */
  worldDir?: string;
  /** Hyperparameters per model kind over the bench's defaults. */
  modelConfigs?: Partial<Record<ModelKind, Record<string, unknown>>>;
  /** A saved image encoder folder (e.g. `vitrine encoder train`'s) whose embeddings VBPR reads instead of the classic encoder's. */
  encoder?: string;
  /** With trainEncoder (visual-encoder.ts): settings over the CNN defaults. */
  encoderConfig?: Partial<CnnEncoderConfig>;
  seed?: number;
}

export const VISUAL_BENCH_MODELS: readonly ModelKind[] = ['pop', 'bpr', 'content', 'hybrid', 'vbpr', 'dvbpr', 'visual-hybrid'];
export const VISUAL_BENCH_PROTOCOLS = ['leave-last-out', 'cold-items-0.2'] as const;

/** The bench's settings per dataset (chosen for the time budget: DVBPR on the world in well under 30 minutes on 2 cores). */
const CONFIGS: Record<'world' | 'hm', Partial<Record<ModelKind, Record<string, unknown>>>> = {
  world: { dvbpr: { epochs: 6 } },
  hm: { dvbpr: { epochs: 10 } },
};

type Row = BenchResult['rows'][number];

export async function runVisualBench(opts: VisualBenchOptions = {}): Promise<BenchResult> {
  const report = opts.onProgress ?? (() => undefined);
  const notes: string[] = [];
  await initEngine({ onNotice: (m) => notes.push(m) });
  const models = opts.models ?? VISUAL_BENCH_MODELS;
  const protocols = opts.protocols ?? VISUAL_BENCH_PROTOCOLS;
  const size = opts.imageSize ?? 64;
  if (opts.encoder !== undefined && opts.trainEncoder === true) fail('INVALID_ARGUMENT', 'give a saved encoder or train one, not both');
  const saved = opts.encoder === undefined ? undefined : await loadEncoder(opts.encoder);
  const rows: Row[] = [];
  const protocol: string[] = [];
  for (const name of opts.datasets ?? ['world', 'hm']) {
    const loaded = await loadBenchDataset(name, opts, notes, report);
    if (loaded === undefined) continue;
    const { dataset, imagesDir, cleanup } = loaded;
    let trained: BenchEncoder | undefined;
    try {
      if (opts.trainEncoder === true) {
        trained = await trainBenchEncoder(dataset, {
          imagesDir, coldProtocol: protocols.find((p) => p.startsWith('cold-items')), seed: opts.seed ?? 42, onProgress: report,
          ...(opts.encoderConfig === undefined ? {} : { config: opts.encoderConfig }),
        });
      }
      const encoder = trained?.encoder ?? saved;
      const featuresBy = trained?.description ?? (saved === undefined ? 'the classic encoder' : `the saved ${saved.kind} encoder ${opts.encoder} (${saved.dim}-d)`);
      const visual = await prepareVisualInputs(dataset, models, { size, onProgress: report, ...(encoder === undefined ? {} : { encoder }) });
      protocol.push(`${describeDataset(name, dataset, visual, size)}; vbpr's features: ${featuresBy}`);
      for (const p of protocols) {
        const result = await runExperiment({
          dataset, models, protocol: p, visual, seed: opts.seed ?? 42, onProgress: report,
          modelConfigs: { ...CONFIGS[name], ...opts.modelConfigs },
        });
        rows.push(...result.map((r) => rowOf(name, r)));
      }
    } finally {
      await trained?.encoder.dispose();
      cleanup();
    }
  }
  return {
    suite: 'visual',
    protocol: [
      ...protocol,
      'protocols: leave-last-out (each shopper\'s latest pair) and cold-items-0.2 (a seeded 20% of the items with interactions held out of training entirely; test = every pair with them)',
      "candidates: every item outside the shopper's training pairs (full ranking), warm and cold alike; list ties by item index, AUC counts a tie as half a pair",
      `features: vbpr on an image encoder's embedding of the item images (per dataset above); dvbpr learns its CNN from the ${size}x${size} pixels`,
    ],
    rows,
    notes: [
      ...notes,
      'content sees the catalog attributes and captions (on the world: the true attributes the shoppers\' utility is made of)',
      'fit s: the final fit on the training pairs; one standard error of NDCG@10 is about 0.01 at these test sizes',
    ],
    environment: environment(),
  };
}

function rowOf(dataset: string, r: ExperimentRow): Row {
  return {
    dataset, protocol: r.protocol, model: r.model,
    auc: round(r.auc, 4), 'ndcg@10': round(r['ndcg@10'], 4), 'hr@10': round(r['hr@10'], 4), 'recall@20': round(r['recall@20'], 4),
    users: r.users, testPairs: r.testPairs, trainPairs: r.trainPairs, fitSeconds: round(r.fitSeconds, 1),
  };
}

function describeDataset(name: string, d: Dataset, v: VisualInputs, size: number): string {
  const images = v.report === undefined ? '' : `; ${v.report.withImage - v.report.skipped} item images read at ${size}x${size} (${v.report.skipped} unreadable) in ${v.report.seconds.toFixed(1)} s`;
  return `${name}: ${d.name}, ${d.users.size} shoppers, ${d.items.size} items, ${d.events.user.length} events${images}`;
}

/** The world (generated into a temporary folder, or `worldDir`) or the H&M subset restricted to imaged articles. */
async function loadBenchDataset(
  name: 'world' | 'hm', opts: VisualBenchOptions, notes: string[], report: ProgressFn,
): Promise<{ dataset: Dataset; imagesDir: string; cleanup: () => void } | undefined> {
  if (name === 'hm') {
    const dir = findOptionalDataset('hm-fashion-subset', opts.data, notes, 'H&M subset');
    if (dir === undefined) return undefined;
    // The H&M images stay where they are (absolute paths); the scratch folder only satisfies the importer's contract.
    const tmp = mkdtempSync(join(tmpdir(), 'vitrine-bench-visual-'));
    const batch = await importPath(dir, { format: 'hm', imagesDir: tmp, onProgress: report });
    return { dataset: keepImagedItems(datasetFromBatch('hm-fashion-subset', batch)), imagesDir: tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'vitrine-bench-visual-'));
  let dir = opts.worldDir;
  if (dir === undefined || !existsSync(join(dir, 'world.json'))) {
    dir = join(tmp, 'world');
    const world = await generateWorld({ items: 2000, shoppers: 1000, days: 60, seed: 7 }, { onProgress: report });
    await writeWorld(world, dir, { renderImages: true, onProgress: report });
  }
  const batch = await importPath(dir, { format: 'world', imagesDir: tmp, onProgress: report });
  return { dataset: datasetFromBatch('world-7-2000x1000x60', batch), imagesDir: tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
