import { Rng } from '../core/rng.js';
import type { ProgressFn } from '../core/logger.js';
import type { CsrMatrix } from '../data/csr.js';
import { metricByName } from '../metrics/descriptor.js';
import type { ModelKind, Recommender, TrainData } from '../recommend/recommender.js';
import { evaluateModel } from './evaluator.js';
import type { ModelFactory } from './experiment-types.js';
import { gridPoints, type TuningGrid } from './grids.js';
import { testUsers, type Split } from './split.js';

/** A scorer on a validation split: FitOptions.validate's shape. */
export type Validator = (model: Recommender) => { name: string; value: number };

/**
 * Scores a model on `split` by one metric (full ranking, training items
 * masked). At most `maxUsers` test shoppers, a seeded sample, are scored so
 * that per-epoch validation stays cheap on large shops.
 */
export function validationScorer(
  split: Split,
  train: CsrMatrix,
  opts: { metric?: string; maxUsers?: number; seed?: number } = {},
): Validator {
  const metric = metricByName(opts.metric ?? 'ndcg@10');
  let users = testUsers(split);
  const max = opts.maxUsers ?? 5000;
  if (users.length > max) {
    const picked = new Rng(opts.seed ?? 0).shuffle(Array.from(users)).slice(0, max);
    users = Int32Array.from(picked).sort();
  }
  const ks = [metric.k ?? 10];
  return (model) => {
    const r = evaluateModel(model, split, { ks, listK: ks[0], train, users });
    return { name: metric.name, value: r.overall[metric.name] ?? Number.NaN };
  };
}

export interface TuneResult {
  /** The chosen values (grid point plus the early-stopped key). */
  chosen: Record<string, unknown>;
  validation: { metric: string; value: number };
  /** Every grid point tried, with its validation score. */
  trials: { config: Record<string, unknown>; value: number }[];
}

export interface TuneOptions {
  kind: ModelKind;
  base: Record<string, unknown>;
  grid: TuningGrid;
  createModel: ModelFactory;
  /** Training data of the validation split. */
  data: TrainData;
  validate: Validator;
  /** Name of the validator's metric, for the report. */
  metric: string;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/**
 * Fits every grid point on the validation split's training pairs and keeps
 * the best by the validator (first best on ties). With `earlyStop`, each fit
 * validates after every epoch, and the key is set to the epoch count at
 * which the metric peaked.
 */
export async function tuneModel(opts: TuneOptions): Promise<TuneResult> {
  const points = gridPoints(opts.grid.params);
  const trials: TuneResult['trials'] = [];
  let best: { config: Record<string, unknown>; value: number } | undefined;
  for (const [n, point] of points.entries()) {
    opts.onProgress?.({ phase: `tune ${opts.kind}`, done: n, total: points.length });
    const model = opts.createModel(opts.kind, { ...opts.base, ...point });
    const config = { ...point };
    let value: number;
    if (opts.grid.earlyStop !== undefined) {
      const curve: number[] = [];
      await model.fit(opts.data, {
        signal: opts.signal,
        validate: opts.validate,
        onEpoch: (r) => curve.push(r.validation?.value ?? Number.NaN),
      });
      const peak = argmax(curve);
      if (peak >= 0) {
        // Epochs counted from the reports, so it does not matter whether models number epochs from 0 or 1.
        config[opts.grid.earlyStop] = peak + 1;
        value = curve[peak]!;
      } else {
        value = opts.validate(model).value; // the model did not validate per epoch: keep its epochs
      }
    } else {
      await model.fit(opts.data, { signal: opts.signal });
      value = opts.validate(model).value;
    }
    trials.push({ config, value });
    if (best === undefined || value > best.value || (Number.isNaN(best.value) && !Number.isNaN(value))) {
      best = { config, value };
    }
  }
  opts.onProgress?.({ phase: `tune ${opts.kind}`, done: points.length, total: points.length });
  return {
    chosen: best?.config ?? {},
    validation: { metric: opts.metric, value: best?.value ?? Number.NaN },
    trials,
  };
}

/** Index of the largest finite value (first on ties); -1 when none is finite. */
function argmax(xs: readonly number[]): number {
  let best = -1;
  let bestV = -Infinity;
  xs.forEach((v, i) => {
    if (v > bestV) {
      best = i;
      bestV = v;
    }
  });
  return best;
}
