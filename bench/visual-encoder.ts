import type { ProgressFn } from '../src/core/logger.js';
import type { Dataset } from '../src/data/dataset.js';
import type { Item } from '../src/data/schema.js';
import { experimentSplit } from '../src/evaluate/experiment.js';
import { loadCatalogImages } from '../src/vision/cnn/catalog-images.js';
import { CnnEncoder } from '../src/vision/cnn/cnn-encoder.js';
import { cnnConfig, cnnImageSize, type CnnEncoderConfig } from '../src/vision/cnn/config.js';

/**
 * `vitrine bench visual --train-encoder`: the shop's own CNN image encoder
 * (src/vision/cnn: heads on the category and every categorical attribute)
 * trained on a dataset's item images for VBPR's features, leaving out the
 * products the cold-items protocol holds out (the same seeded split
 * runExperiment makes), so a "new" product's image and attributes are as
 * unseen by the encoder as by the recommender. The encoder learns no
 * interactions, so the same one serves every protocol of the run.
 */
export interface BenchEncoder {
  encoder: CnnEncoder;
  /** What it was trained on, for the bench's protocol lines. */
  description: string;
}

export async function trainBenchEncoder(
  dataset: Dataset,
  opts: { imagesDir: string; coldProtocol: string | undefined; seed: number; config?: Partial<CnnEncoderConfig>; onProgress: ProgressFn },
): Promise<BenchEncoder> {
  const held = new Set<number>();
  if (opts.coldProtocol !== undefined) {
    const { split } = experimentSplit({ dataset, protocol: opts.coldProtocol, seed: opts.seed });
    for (const p of split.testPairs) held.add(split.pairs.item[p]!);
  }
  const items: Item[] = [];
  dataset.itemInfo.forEach((it, i) => { if (it !== undefined && it.image !== null && !held.has(i)) items.push(it); });
  const config = cnnConfig(opts.config);
  const data = await loadCatalogImages(items, { imagesDir: opts.imagesDir, size: cnnImageSize(config), background: config.background, trim: config.trim, onProgress: opts.onProgress });
  const encoder = await CnnEncoder.train(data, config, { onEpoch: (r) => opts.onProgress({ phase: 'train the cnn encoder', done: r.epoch, total: r.epochs }) });
  const heads = encoder.heads.map((h) => `${h.name} (${h.classes.length})`).join(', ');
  const without = opts.coldProtocol === undefined ? 'no product held out' : `the ${held.size} products ${opts.coldProtocol} holds out left out`;
  return {
    encoder,
    description: `a cnn encoder trained here on ${data.items.length} item images (${without}), heads ${heads}, ${config.epochs} epochs at ${config.inputSize}x${config.inputSize}, ${encoder.training!.seconds.toFixed(0)} s`,
  };
}
