import type { ProgressFn } from '../core/logger.js';
import type { Dataset } from '../data/dataset.js';
import type { SignalConfig } from '../data/interactions.js';
import type { ModelKind, Recommender } from '../recommend/recommender.js';
import type { ProtocolSpec } from './protocol.js';
import type { SegmentOptions } from './segments.js';
import type { TuningGrid } from './grids.js';
import type { VisualInputOptions, VisualInputs } from './item-visuals.js';

/** Makes an unfitted model (recommend/registry.ts's createModel has this shape). */
export type ModelFactory = (kind: ModelKind, config?: Record<string, unknown>) => Recommender;

/** Leave-last-out timestamp ties: the larger item id (reference protocol) or the larger item index counts as later. */
export type TieBreak = 'item-id' | 'item-index';

export interface ExperimentOptions extends SegmentOptions {
  dataset: Dataset;
  models: readonly ModelKind[];
  /** A ProtocolSpec or its name ("leave-last-out", "random-0.2, sampled-100"); default leave-last-out, full ranking. */
  protocol?: ProtocolSpec | string;
  /** Seeds the split, sampled negatives and every model (default 42). */
  seed?: number;
  /** How events become pair strengths (default: DEFAULT_EVENT_WEIGHTS). */
  interactions?: SignalConfig;
  /** Choose hyperparameters on a validation split cut from training data, then refit (default false). */
  tune?: boolean;
  /** Grids per model kind, replacing DEFAULT_GRIDS for those kinds. */
  grids?: Partial<Record<ModelKind, TuningGrid>>;
  /** Fixed hyperparameters per model kind (merged under the grid values). */
  modelConfigs?: Partial<Record<ModelKind, Record<string, unknown>>>;
  /** Metric that picks hyperparameters on validation (default "ndcg@10"). */
  tuneMetric?: string;
  /** At most this many validation shoppers are scored per tuning step (seeded sample; default 5000). */
  maxValidationUsers?: number;
  /** Default "item-id". */
  tieBreak?: TieBreak;
  /** Cut-offs of the @k metrics (default [10, 20]). */
  ks?: readonly number[];
  /** Model factory; default recommend/registry.ts's createModel. */
  createModel?: ModelFactory;
  /** Item images / image features for the visual models (vbpr, dvbpr); read with `images` when not given. */
  visual?: VisualInputs;
  /** Where and how item images are read for the visual models when `visual` is not given (item-visuals.ts). */
  images?: VisualInputOptions;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

/** The headline metrics of a segment (cold, heavy). */
export interface SegmentRow {
  users: number;
  'hr@10': number;
  'ndcg@10': number;
  'recall@20': number;
  'map@10': number;
  'precision@10': number;
  mrr: number;
  auc: number;
  coverage: number;
  novelty: number;
  diversity: number;
}

/** One model's result: the JSON row. */
export interface ExperimentRow {
  model: ModelKind;
  /** e.g. "leave-last-out" or "leave-last-out, sampled-100". */
  protocol: string;
  'hr@10': number;
  'ndcg@10': number;
  'recall@20': number;
  'map@10': number;
  'precision@10': number;
  mrr: number;
  auc: number;
  /** Catalog coverage of the top-10 lists. */
  coverage: number;
  /** novelty@10: mean self-information of the top-10 items. */
  novelty: number;
  /** diversity@10: intra-list diversity of the top-10 lists under `diversityDistance`. */
  diversity: number;
  diversityDistance: 'category' | 'co-occurrence';
  /** Seconds of the final fit on all training pairs. */
  fitSeconds: number;
  /** The fitted model's config. */
  hyperparameters: Record<string, unknown>;
  /** Whether hyperparameters were chosen on validation (false without `tune`, or when the kind's grid has no choice). */
  tuned: boolean;
  /** Best validation score when tuned. */
  validation: { metric: string; value: number } | null;
  /** Test shoppers evaluated. */
  users: number;
  trainPairs: number;
  testPairs: number;
  cold: SegmentRow;
  heavy: SegmentRow;
  /** Every overall metric the evaluator computed (precision@20, hr@20, ...). */
  metrics: Record<string, number>;
}
