import { tensor, type Manifest, type Tensor } from '../core/artifact.js';
import { throwIfAborted } from '../core/errors.js';
import type { CsrMatrix } from '../data/csr.js';
import { checkBool, checkSeed, makeConfig } from './config.js';
import { BaseRecommender, baseStateOf, checkLayout, floatTensor, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * Popularity: every shopper gets the same scores, the items' training
 * interaction counts (or summed strengths). The baseline every model must
 * beat, and the fallback for unknown shoppers (rank.ts).
 */

export type PopularityConfig = {
  /** Sum interaction strengths instead of counting interactions. */
  weighted: boolean;
  /** Unused (popularity is deterministic); kept so every config has a seed. */
  seed: number;
};

export const POPULARITY_DEFAULTS: PopularityConfig = Object.freeze({ weighted: false, seed: 0 });

/** Layout version of the popularity artifact. */
export const POPULARITY_VERSION = 1;

interface PopularityState extends BaseState {
  counts: Float32Array;
}

/** Item interaction counts (or summed values) of a users x items matrix, as scores. */
export function popularityScores(ui: CsrMatrix, weighted = false): Float32Array {
  const out = new Float32Array(ui.nCols);
  for (let k = 0; k < ui.indices.length; k++) out[ui.indices[k]!]! += weighted ? ui.data[k]! : 1;
  return out;
}

export class PopularityModel extends BaseRecommender<PopularityConfig, PopularityState> {
  readonly kind = 'pop' as const;

  constructor(config?: Partial<PopularityConfig>) {
    super(
      makeConfig('pop', POPULARITY_DEFAULTS, config, (c) => {
        checkBool('pop', 'weighted', c.weighted);
        checkSeed('pop', c.seed);
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    throwIfAborted(opts.signal);
    const t0 = performance.now();
    const dataFingerprint = checkTrainData('pop', data);
    const counts = popularityScores(data.ui, this.config.weighted);
    opts.onEpoch?.({ epoch: 1, epochs: 1, seconds: (performance.now() - t0) / 1000 });
    throwIfAborted(opts.signal);
    this.state = { nUsers: data.ui.nRows, nItems: data.ui.nCols, dataFingerprint, counts };
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    const o = this.output(out, s.nItems);
    o.set(s.counts);
    return o;
  }

  /** The popularity scores themselves (the fallback rank.ts uses). */
  itemScores(): Float32Array {
    return this.requireState().counts.slice();
  }

  protected saveState(s: PopularityState): SavedState {
    return { version: POPULARITY_VERSION, tensors: { counts: tensor(s.counts) } };
  }

  /** Rebuilds a fitted model from its artifact (called by registry.loadModel). */
  static restore(manifest: Manifest, tensors: Map<string, Tensor>): PopularityModel {
    checkLayout(manifest, 'pop', POPULARITY_VERSION);
    const m = new PopularityModel(manifest.hyperparameters as Partial<PopularityConfig>);
    const base = baseStateOf(manifest);
    m.state = { ...base, counts: floatTensor(tensors, 'counts', [base.nItems]) };
    return m;
  }
}
