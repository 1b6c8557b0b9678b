import { fail } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import type { World } from '../data/world/index.js';
import { banditConfig, exploreSlate, type ArmStats } from '../recommend/bandit.js';
import type { ModelBundle } from '../recommend/bundle.js';
import { topK } from '../recommend/rank.js';
import type { ModelKind } from '../recommend/recommender.js';
import { visualHybridVariant } from './simulate-ab-visual.js';
import { trainBundle } from './train-bundle.js';

/**
 * The variants a simulated A/B test can compare. A variant is a recommender
 * configuration (issue 4): a model trained on the world's history, how it
 * picks a slate (plain top-k, or a bandit that explores), a blend with a
 * visual model trained on the world's product images (simulate-ab-visual.ts),
 * or a baseline (random). Each builds a Policy that, given a shopper's history so far,
 * returns the products shown.
 */

/** What a policy knows of a simulated shopper. */
export interface SimShopper {
  /** The shopper's index in the training dataset. */
  userIdx: number;
  /** Σ event weight per product index (training history plus events during the test). */
  history: Map<number, number>;
  /** The shopper acted during the test (so the model's trained vector is stale: fold in). */
  changed: boolean;
}

export interface Policy {
  /** The k products to show (never one the shopper already interacted with). */
  slate(s: SimShopper, k: number, rng: Rng): Int32Array;
  /** Feedback for policies that learn online (the bandit); others ignore it. */
  feedback?(item: number, clicked: boolean): void;
  /** Frees what the policy holds outside the JS heap (DVBPR's tensors); called once the test is over. */
  dispose?(): void;
}

/** What a variant is built from besides the training history. */
export interface VariantContext {
  seed: number;
  /** The simulated world (its product images feed the visual variants). */
  world: World;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface VariantSpec {
  describe: string;
  build(dataset: Dataset, ctx: VariantContext): Promise<Policy>;
}

function historyArrays(s: SimShopper): { items: Int32Array; weights: Float32Array } {
  return { items: Int32Array.from(s.history.keys()), weights: Float32Array.from(s.history.values()) };
}

/** The bundle's scores for a shopper: fold-in of the current history when the model can and the shopper acted, else the trained user. */
function scoresFor(bundle: ModelBundle, s: SimShopper): Float32Array {
  const m = bundle.model;
  if (s.changed && s.history.size > 0 && m.scoreHistory !== undefined) {
    const h = historyArrays(s);
    return m.scoreHistory(h.items, h.weights);
  }
  return s.userIdx < m.nUsers ? m.scoreUser(s.userIdx) : bundle.popularity;
}

async function train(dataset: Dataset, kind: ModelKind, seed: number, signal: AbortSignal | undefined, config: Record<string, unknown> = {}): Promise<ModelBundle> {
  return (await trainBundle({ dataset, kind, evaluate: false, seed, config, ...(signal === undefined ? {} : { signal }) })).bundle;
}

/** Plain top-k of a trained model. */
function modelVariant(kind: ModelKind, describe: string, config: Record<string, unknown> = {}): VariantSpec {
  return {
    describe,
    async build(dataset, { seed, signal }) {
      const bundle = await train(dataset, kind, seed, signal, config);
      return { slate: (s, k) => topK(scoresFor(bundle, s), k, { exclude: new Set(s.history.keys()) }).items };
    },
  };
}

/** A trained model whose slate a Thompson-sampling bandit draws from its top 4k, learning CTR online. */
function exploringVariant(kind: ModelKind, describe: string, weight: number): VariantSpec {
  return {
    describe,
    async build(dataset, { seed, signal }) {
      const bundle = await train(dataset, kind, seed, signal);
      const n = dataset.items.size;
      const stats: ArmStats & { impressions: Float64Array; clicks: Float64Array } = { impressions: new Float64Array(n), clicks: new Float64Array(n) };
      const cfg = banditConfig({ strategy: 'thompson', explorationWeight: weight });
      return {
        slate: (s, k, rng) => exploreSlate(topK(scoresFor(bundle, s), 4 * k, { exclude: new Set(s.history.keys()) }), k, stats, cfg, rng).items,
        feedback: (item, clicked) => {
          stats.impressions[item]!++;
          if (clicked) stats.clicks[item]!++;
        },
      };
    },
  };
}

const randomVariant: VariantSpec = {
  describe: 'uniformly random products (a floor)',
  async build(dataset) {
    const n = dataset.items.size;
    return {
      slate: (s, k, rng) => {
        const out = new Set<number>();
        for (let tries = 0; out.size < Math.min(k, n - s.history.size) && tries < 50 * k; tries++) {
          const i = rng.int(n);
          if (!s.history.has(i)) out.add(i);
        }
        return Int32Array.from(out);
      },
    };
  },
};

export const AB_VARIANTS: Readonly<Record<string, VariantSpec>> = {
  pop: modelVariant('pop', 'popularity: the most interacted-with products'),
  als: modelVariant('als', 'CF only: implicit ALS, folding in new events'),
  bpr: modelVariant('bpr', 'CF only: BPR-MF'),
  itemknn: modelVariant('itemknn', 'CF only: item-kNN'),
  content: modelVariant('content', 'content only: attributes and captions'),
  hybrid: modelVariant('hybrid', 'ALS and content blended per product by its interaction count'),
  'als-explore': exploringVariant('als', 'ALS with Thompson-sampling exploration (weight 0.2)', 0.2),
  random: randomVariant,
  // VBPR at 20 epochs, not its default 40: on the default test world (2,000 products, 5,000 shoppers, 30 days)
  // its held-out AUC is 0.893 at 20 epochs against 0.895-0.896 at 25-40, for half the fit (minutes on 2 cores).
  'visual-hybrid': visualHybridVariant('ALS, VBPR (20 epochs) over classic image features, and content blended per product by its interaction count', { visualConfig: { epochs: 20 } }),
  // DVBPR learns a CNN from the images: its fit is the costliest by far, so a short budget (see its describe).
  'visual-hybrid-dvbpr': visualHybridVariant('ALS, DVBPR (a CNN learned from the images, 2 epochs), and content blended per product by its interaction count', { visual: 'dvbpr', visualConfig: { epochs: 2 } }),
};

/** The spec of a variant name; INVALID_ARGUMENT for an unknown one. */
export function variantSpec(name: string): VariantSpec {
  const spec = AB_VARIANTS[name];
  if (spec === undefined) fail('INVALID_ARGUMENT', `unknown A/B variant "${name}"`, { hint: `variants: ${Object.keys(AB_VARIANTS).join(', ')}` });
  return spec;
}
