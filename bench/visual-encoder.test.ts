import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetFromBatch, type Dataset } from '../src/data/dataset.js';
import { importPath } from '../src/data/importers/index.js';
import { generateWorld, writeWorld } from '../src/data/world/index.js';
import { initEngine } from '../src/engine/engine.js';
import { experimentSplit } from '../src/evaluate/experiment.js';
import { trainBenchEncoder } from './visual-encoder.js';

const TINY = { inputSize: 16, widths: [4, 8], embedDim: 8, epochs: 1, batchSize: 16 };
const silent = (): void => undefined;

describe('trainBenchEncoder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-encoder-'));
  let dataset: Dataset;

  beforeAll(async () => {
    await initEngine();
    const world = await generateWorld({ items: 60, shoppers: 30, days: 5, seed: 3 });
    await writeWorld(world, join(dir, 'world'), { renderImages: true });
    dataset = datasetFromBatch('tiny', await importPath(join(dir, 'world'), { format: 'world', imagesDir: dir }));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("trains on every product image except those the cold-items split holds out, the experiment's own split", async () => {
    const { split } = experimentSplit({ dataset, protocol: 'cold-items-0.2', seed: 42 });
    const held = new Set<number>();
    for (const p of split.testPairs) held.add(split.pairs.item[p]!);
    const trainItems = new Set<number>();
    for (const p of split.train) trainItems.add(split.pairs.item[p]!);
    expect(held.size).toBeGreaterThan(0);
    for (const i of held) expect(trainItems.has(i)).toBe(false); // held-out products have no training pairs either

    const r = await trainBenchEncoder(dataset, { imagesDir: dir, coldProtocol: 'cold-items-0.2', seed: 42, config: TINY, onProgress: silent });
    expect(r.encoder.training!.products).toBe(dataset.items.size - held.size);
    expect(r.description).toContain(`the ${held.size} products cold-items-0.2 holds out left out`);
    await r.encoder.dispose();

    const all = await trainBenchEncoder(dataset, { imagesDir: dir, coldProtocol: undefined, seed: 42, config: TINY, onProgress: silent });
    expect(all.encoder.training!.products).toBe(dataset.items.size);
    await all.encoder.dispose();
  }, 60_000);
});
