import type { CsrMatrix } from '../data/csr.js';
import type { ItemContent } from '../data/item-content.js';

/**
 * The one interface every recommender implements (conventions.md #1).
 * Models score; ranking (top-k, seen-item removal, filters, unknown-shopper
 * fallback, diversity) lives once in rank.ts.
 */

export const MODEL_KINDS = ['pop', 'itemknn', 'als', 'bpr', 'content', 'hybrid', 'vbpr', 'dvbpr', 'visual-hybrid'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** What a model trains on. Indices are dense: users 0..nUsers-1, items 0..nItems-1. */
export interface TrainData {
  /** users x items; value = interaction strength (> 0), e.g. 1 per interaction or a weighted event sum. */
  ui: CsrMatrix;
  /** Item attributes and text, aligned with item indices; needed by content and hybrid models. */
  content?: ItemContent;
  /** Prepared item images aligned with item indices; needed by DVBPR (it learns its own image network). */
  images?: ItemImages;
  /** Item visual features (an image encoder's embeddings) aligned with item indices; needed by VBPR. */
  visual?: ItemVisualFeatures;
}

/**
 * Every item's image as model input: one NHWC batch (nItems x size x size x
 * 3, values in [0, 1], src/vision's prepareImage), row i for item index i.
 * Items without a readable image have present[i] = 0 and a zero row; visual
 * models give them no visual signal.
 */
export interface ItemImages {
  nItems: number;
  /** Side of the square images. */
  size: number;
  data: Float32Array;
  /** 1 when item i has an image. */
  present: Uint8Array;
}

/** Item visual features f_i (nItems x dim, row-major); rows of items without an image are zero and present[i] = 0. */
export interface ItemVisualFeatures {
  nItems: number;
  dim: number;
  data: Float32Array;
  present: Uint8Array;
  /** Where the features came from (e.g. the encoder's kind), recorded in the model's manifest. */
  source?: string;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Training loss, when the model has one. */
  loss?: number;
  /** Validation metric (e.g. ndcg@10) when early stopping is on. */
  validation?: { name: string; value: number };
  seconds: number;
}

export interface FitOptions {
  signal?: AbortSignal;
  /** Called after each epoch/sweep. */
  onEpoch?: (r: EpochReport) => void;
  /**
   * Held-out scorer for early stopping (BPR): returns a metric where higher is
   * better. The model keeps the best epoch's parameters.
   */
  validate?: (model: Recommender) => { name: string; value: number };
}

export interface Recommender {
  readonly kind: ModelKind;
  /** The frozen, validated hyperparameters. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly nUsers: number;
  readonly nItems: number;

  fit(data: TrainData, opts?: FitOptions): Promise<void>;

  /** Scores of every item for a known user (higher is better); writes into `out` when given. */
  scoreUser(userIdx: number, out?: Float32Array): Float32Array;

  /**
   * Scores for a shopper known only by a history of (item, weight) pairs, e.g.
   * a new shopper (ALS fold-in). Models that cannot do this leave it undefined
   * and rank.ts falls back to popularity.
   */
  scoreHistory?(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array;

  /**
   * Batched scoring: scores of `userIdxs.length` users into `out`
   * (row-major, userIdxs.length x nItems). Optional fast path for evaluation.
   */
  scoreUsers?(userIdxs: Int32Array, out: Float32Array): void;

  /**
   * Fused batched top-k (score, mask `seen`, select) for factor models, where
   * the native kernels do it without materialising the score matrix. Rows of
   * `items`/`scores` (userIdxs.length x k) are best first, padded with -1 /
   * -Infinity. rank.ts's topKForUsers uses it when present.
   */
  topKUsers?(userIdxs: Int32Array, k: number, seen?: CsrMatrix): { items: Int32Array; scores: Float32Array };

  /** Writes the model as an artifact directory (manifest + raw tensors). */
  save(dir: string): Promise<void>;
}
