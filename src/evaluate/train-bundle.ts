import { throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { Dataset } from '../data/dataset.js';
import { buildItemContent } from '../data/item-content.js';
import { interactionPairs, trainDataFromPairs, type SignalConfig } from '../data/interactions.js';
import type { BundleInfo, ModelBundle } from '../recommend/bundle.js';
import { popularityScores } from '../recommend/popularity.js';
import type { ModelKind } from '../recommend/recommender.js';
import { createModel } from '../recommend/registry.js';
import { runExperiment, visualDefaults } from './experiment.js';
import type { ExperimentRow } from './experiment-types.js';
import { prepareVisualInputs, type VisualInputOptions, type VisualInputs } from './item-visuals.js';

export interface TrainBundleOptions {
  dataset: Dataset;
  kind: ModelKind;
  /** Bundle name (default: the kind). */
  name?: string;
  /** Hyperparameters (validated by the model). */
  config?: Record<string, unknown>;
  /** Choose hyperparameters on a validation split first (default false). */
  tune?: boolean;
  /** Measure held-out metrics before the final fit (default true). */
  evaluate?: boolean;
  /** Protocol of that evaluation (default leave-last-out). */
  protocol?: string;
  interactions?: SignalConfig;
  seed?: number;
  world?: Record<string, unknown> | null;
  /**
   * Where the visual models (vbpr, dvbpr, visual-hybrid) find the item
   * images and which encoder embeds them (imagesDir: the workspace images
   * folder, for relative image paths). Read once, for the evaluation and
   * the final fit.
   */
  images?: Omit<VisualInputOptions, 'signal' | 'onProgress' | 'modelConfigs'>;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export interface TrainBundleResult {
  bundle: ModelBundle;
  /** The held-out evaluation row, when evaluated. */
  evaluation: ExperimentRow | undefined;
}

/**
 * Trains a model to serve: optionally tunes and evaluates it on a held-out
 * split (runExperiment), then fits it with those hyperparameters on every
 * interaction and packages it with its id maps and popularity fallback.
 */
export async function trainBundle(opts: TrainBundleOptions): Promise<TrainBundleResult> {
  const { dataset, kind } = opts;
  const seed = opts.seed ?? 42;
  const interactions = opts.interactions ?? {};
  let evaluation: ExperimentRow | undefined;
  let config = { ...(opts.config ?? {}) };
  // Nothing is read for a model that needs no images.
  const visual: VisualInputs = await prepareVisualInputs(dataset, [kind], {
    ...opts.images,
    modelConfigs: { [kind]: config },
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
  });
  if (opts.evaluate !== false) {
    [evaluation] = await runExperiment({
      dataset,
      models: [kind],
      visual,
      seed,
      interactions,
      tune: opts.tune === true,
      ...(opts.protocol === undefined ? {} : { protocol: opts.protocol }),
      modelConfigs: { [kind]: config },
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    if (evaluation !== undefined) config = { ...evaluation.hyperparameters };
  }
  throwIfAborted(opts.signal);
  const pairs = interactionPairs(dataset, { signal: interactions });
  const train = {
    ...trainDataFromPairs(pairs, dataset.users.size, dataset.items.size, buildItemContent(dataset.itemInfo)),
    ...(visual.images ? { images: visual.images } : {}),
    ...(visual.features ? { visual: visual.features } : {}),
  };
  config = { ...config, ...visualDefaults(kind, visual, config) };
  const model = createModel(kind, { ...('seed' in createModel(kind).config ? { seed } : {}), ...config } as never);
  const t0 = performance.now();
  await model.fit(train, {
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    onEpoch: (r) => opts.onProgress?.({ phase: `fit ${kind} on all data`, done: r.epoch, total: r.epochs }),
  });
  const info: BundleInfo = {
    name: opts.name ?? kind,
    kind,
    createdAt: new Date().toISOString(),
    dataset: { name: dataset.name, users: dataset.users.size, items: dataset.items.size, pairs: pairs.user.length, events: dataset.events.user.length },
    signal: interactions.binary === true ? 'binary: every (shopper, item) pair counts 1' : 'weighted events (view 1, click 2, cart 4, purchase 8, rating 1)',
    evaluation: evaluation === undefined ? null : { protocol: evaluation.protocol, metrics: evaluation.metrics },
    fitSeconds: (performance.now() - t0) / 1000,
    world: opts.world ?? null,
  };
  return { bundle: { model, users: dataset.users, items: dataset.items, popularity: popularityScores(train.ui), info }, evaluation };
}
