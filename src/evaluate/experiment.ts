import { throwIfAborted } from '../core/errors.js';
import { buildItemContent, type ItemContent } from '../data/item-content.js';
import { interactionPairs, selectPairs, trainDataFromPairs } from '../data/interactions.js';
import { categoryDistance, cooccurrenceDistance, type ItemDistance } from '../metrics/beyond-accuracy.js';
import type { ModelKind, TrainData } from '../recommend/recommender.js';
import { createModel } from '../recommend/registry.js';
import { evaluateModel } from './evaluator.js';
import type { ExperimentOptions, ExperimentRow, ModelFactory, SegmentRow } from './experiment-types.js';
import { DEFAULT_GRIDS, gridPoints, type TuningGrid } from './grids.js';
import { parseProtocol, REFERENCE_PROTOCOL, type ProtocolSpec } from './protocol.js';
import { itemIdTieKey, makeSplit, validationSplit } from './splits.js';
import type { Split, SplitContext } from './split.js';
import { tuneModel, validationScorer, type Validator } from './tuning.js';
import { prepareVisualInputs, type VisualInputs } from './item-visuals.js';

/**
 * Runs models under one protocol and returns one row per model
 * (conventions.md #7: composes parts, no global state, never prints).
 *
 * Steps: events -> unique pairs -> split; per model, optionally choose
 * hyperparameters on a validation split cut from the training pairs the same
 * way (splits.ts's validationSplit), then fit on all training pairs
 * (timed: fitSeconds) and evaluate on the test pairs.
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentRow[]> {
  const { dataset } = opts;
  const seed = opts.seed ?? 42;
  const spec = resolveProtocol(opts.protocol);
  const { content, split } = experimentSplit(opts);
  const visual = opts.visual ?? (await prepareVisualInputs(dataset, opts.models, { ...opts.images, ...(opts.modelConfigs ? { modelConfigs: opts.modelConfigs } : {}), ...pass(opts) }));
  const train = trainOf(split, content, visual);
  const diversity = diversityFor(content, train);
  const factory = opts.createModel ?? registryFactory;
  const ks = [...new Set([...(opts.ks ?? []), 10, 20])].sort((a, b) => a - b);
  let tuning: { data: TrainData; validate: Validator; metric: string } | undefined;

  const rows: ExperimentRow[] = [];
  for (const kind of opts.models) {
    throwIfAborted(opts.signal);
    const given = opts.modelConfigs?.[kind] ?? {};
    const base = { ...seedFor(factory, kind, seed), ...given, ...visualDefaults(kind, visual, given) };
    const grid = opts.grids?.[kind] ?? DEFAULT_GRIDS[kind];
    let chosen: Record<string, unknown> = {};
    let validation: ExperimentRow['validation'] = null;
    if (opts.tune === true && !hasChoice(grid)) {
      chosen = gridPoints(grid.params)[0] ?? {};
    } else if (opts.tune === true) {
      tuning ??= prepareTuning(split, content, visual, opts, seed);
      ({ chosen, validation } = await tuneModel({ kind, base, grid, createModel: factory, ...tuning, ...pass(opts) }));
    }
    const model = factory(kind, { ...base, ...chosen });
    const t0 = performance.now();
    await model.fit(train, {
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      onEpoch: (r) => opts.onProgress?.({ phase: `fit ${kind}`, done: r.epoch, total: r.epochs }),
    });
    const fitSeconds = (performance.now() - t0) / 1000;
    const result = evaluateModel(model, split, {
      ks,
      candidates: spec.candidates,
      seed,
      itemDistance: diversity.distance,
      train: train.ui,
      ...(opts.coldMaxTrain === undefined ? {} : { coldMaxTrain: opts.coldMaxTrain }),
      ...(opts.heavyFraction === undefined ? {} : { heavyFraction: opts.heavyFraction }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      onProgress: (p) => opts.onProgress?.({ ...p, phase: `evaluate ${kind}` }),
    });
    rows.push({
      ...headline(result.overall),
      model: kind,
      protocol: result.protocol,
      diversityDistance: diversity.name,
      fitSeconds,
      hyperparameters: { ...model.config },
      tuned: validation !== null,
      validation,
      users: result.counts.users,
      trainPairs: split.train.length,
      testPairs: split.testPairs.length,
      cold: { users: result.counts.coldUsers, ...headline(result.cold) },
      heavy: { users: result.counts.heavyUsers, ...headline(result.heavy) },
      metrics: result.overall,
    });
  }
  return rows;
}

/**
 * The split runExperiment scores a protocol on (same options, same seed,
 * same split), and the items' content: for a caller that must know the
 * split beforehand, e.g. to keep the held-out items out of an image
 * encoder's training (bench/visual.ts).
 */
export function experimentSplit(opts: Pick<ExperimentOptions, 'dataset' | 'protocol' | 'seed' | 'interactions' | 'tieBreak'>): { content: ItemContent; split: Split } {
  const { dataset } = opts;
  const pairs = interactionPairs(dataset, { signal: opts.interactions ?? {} });
  const content = buildItemContent(dataset.itemInfo);
  const categories = content.categorical.find((f) => f.name === 'category');
  const context: SplitContext = {
    seed: opts.seed ?? 42,
    ...(categories === undefined ? {} : { itemCategory: categories.codes }),
    ...((opts.tieBreak ?? 'item-id') === 'item-id' ? { tieKey: itemIdTieKey(dataset.items) } : {}),
  };
  return { content, split: makeSplit(pairs, resolveProtocol(opts.protocol).split, context) };
}

/** The optional signal and progress callback, passed on only when set. */
function pass(opts: ExperimentOptions): { signal?: AbortSignal; onProgress?: ExperimentOptions['onProgress'] } {
  return {
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
  };
}

/** Whether a grid has anything to choose (else tuning would only cost a fit). */
function hasChoice(grid: TuningGrid): boolean {
  return grid.earlyStop !== undefined || Object.values(grid.params).some((v) => v.length > 1);
}

function resolveProtocol(p: ProtocolSpec | string | undefined): ProtocolSpec {
  if (p === undefined) return REFERENCE_PROTOCOL;
  return typeof p === 'string' ? parseProtocol(p) : p;
}

function trainOf(split: Split, content: ItemContent, visual: VisualInputs = {}): TrainData {
  const { pairs } = split;
  const data: TrainData = trainDataFromPairs(selectPairs(pairs, split.train), pairs.nUsers, pairs.nItems, content);
  return { ...data, ...(visual.images ? { images: visual.images } : {}), ...(visual.features ? { visual: visual.features } : {}) };
}

/** DVBPR (alone or as a visual hybrid's part) takes the size the item images were prepared at, unless configured otherwise. */
export function visualDefaults(kind: ModelKind, visual: VisualInputs, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const size = visual.images?.size;
  if (size === undefined) return {};
  if (kind === 'dvbpr') return { imageSize: config.imageSize ?? size };
  if (kind === 'visual-hybrid' && config.visual === 'dvbpr') {
    const part = (config.visualConfig ?? {}) as Record<string, unknown>;
    return { visualConfig: { ...part, imageSize: part.imageSize ?? size } };
  }
  return {};
}

/** The validation split, its training data and the scorer used for tuning and early stopping. */
function prepareTuning(split: Split, content: ItemContent, visual: VisualInputs, opts: ExperimentOptions, seed: number) {
  const val = validationSplit(split);
  const data = trainOf(val, content, visual);
  const metric = opts.tuneMetric ?? 'ndcg@10';
  const validate = validationScorer(val, data.ui, { metric, seed, maxUsers: opts.maxValidationUsers ?? 5000 });
  return { data, validate, metric };
}

/**
 * Diversity under "different category" when the catalog has at least two
 * categories, else 1 - cosine of the items' training co-occurrence columns.
 */
function diversityFor(content: ItemContent, train: TrainData): { name: ExperimentRow['diversityDistance']; distance: ItemDistance } {
  const cat = content.categorical.find((f) => f.name === 'category');
  if (cat !== undefined && cat.vocab.length >= 2) return { name: 'category', distance: categoryDistance(cat.codes) };
  return { name: 'co-occurrence', distance: cooccurrenceDistance(train.ui.transpose()) };
}

/** `{ seed }` when the model kind's config has a seed, so seedless models get no unknown key. */
function seedFor(createModel: ModelFactory, kind: ModelKind, seed: number): Record<string, unknown> {
  return 'seed' in createModel(kind).config ? { seed } : {};
}

function headline(m: Record<string, number>): Omit<SegmentRow, 'users'> {
  const get = (k: string): number => m[k] ?? Number.NaN;
  return {
    'hr@10': get('hr@10'),
    'ndcg@10': get('ndcg@10'),
    'recall@20': get('recall@20'),
    'map@10': get('map@10'),
    'precision@10': get('precision@10'),
    mrr: get('mrr'),
    auc: get('auc'),
    coverage: get('coverage'),
    novelty: get('novelty@10'),
    diversity: get('diversity@10'),
  };
}

/** recommend/registry.ts's createModel; configs are validated there (unknown keys refused). */
const registryFactory: ModelFactory = (kind, config) => createModel(kind, config as never);
