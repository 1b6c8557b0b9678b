import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressFn } from '../core/logger.js';
import type { Dataset } from '../data/dataset.js';
import { buildItemContent } from '../data/item-content.js';
import { interactionPairs, trainDataFromPairs } from '../data/interactions.js';
import { renderImagesInto, WORLD_FILES, type World } from '../data/world/index.js';
import { popularityScores } from '../recommend/popularity.js';
import { topK } from '../recommend/rank.js';
import type { TrainData } from '../recommend/recommender.js';
import { VisualHybridModel, type VisualHybridConfig, type VisualKind } from '../recommend/visual-hybrid.js';
import { prepareVisualInputs, type VisualInputs } from './item-visuals.js';
import type { SimShopper, VariantSpec } from './simulate-ab-variants.js';

/**
 * The visual-hybrid variants of the simulated A/B test: ALS, a visual model
 * and content blended (recommend/visual-hybrid.ts), trained on the world's
 * history plus its product images. The images are those `vitrine world`
 * writes (the same renderer, seed and size), rendered into a temporary
 * folder and read back through item-visuals.ts exactly as `vitrine
 * evaluate` reads a written world: prepared at 64x64 for DVBPR, embedded by
 * the classic encoder for VBPR.
 */

interface BuildContext {
  seed: number;
  world: World;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** The world's product images as the visual model needs them (images for dvbpr, features for vbpr). */
export async function worldVisualInputs(world: World, dataset: Dataset, kind: VisualKind, opts: Omit<BuildContext, 'world' | 'seed'> = {}): Promise<VisualInputs> {
  const pass = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) };
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-ab-images-'));
  try {
    // Item image paths are "images/<id>.png", relative to the world folder.
    await renderImagesInto(world.items, join(dir, WORLD_FILES.images), world.config.seed, pass);
    return await prepareVisualInputs(dataset, [kind], { ...pass, imagesDir: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The variant's training data: the weighted-event matrix and content (as trainBundle builds them) plus the visual inputs. */
async function trainData(dataset: Dataset, kind: VisualKind, ctx: BuildContext): Promise<TrainData> {
  const pairs = interactionPairs(dataset, { signal: {} });
  const base = trainDataFromPairs(pairs, dataset.users.size, dataset.items.size, buildItemContent(dataset.itemInfo));
  const v = await worldVisualInputs(ctx.world, dataset, kind, ctx);
  return { ...base, ...(v.images ? { images: v.images } : {}), ...(v.features ? { visual: v.features } : {}) };
}

/** Scores for a simulated shopper: the trained shopper, with ALS and content folded in once they have acted. */
function scoresFor(m: VisualHybridModel, popularity: Float32Array, s: SimShopper): Float32Array {
  const grown = s.changed && s.history.size > 0;
  const items = (): Int32Array => Int32Array.from(s.history.keys());
  const weights = (): Float32Array => Float32Array.from(s.history.values());
  if (s.userIdx < m.nUsers) return grown ? m.scoreUserHistory(s.userIdx, items(), weights()) : m.scoreUser(s.userIdx);
  return s.history.size > 0 ? m.scoreHistory(items(), weights()) : popularity;
}

/** A visual-hybrid variant with `config` over the model's defaults (visual part, its hyperparameters, ρ). */
export function visualHybridVariant(describe: string, config: Partial<VisualHybridConfig> = {}): VariantSpec {
  return {
    describe,
    async build(dataset, ctx) {
      const model = new VisualHybridModel({ seed: ctx.seed, ...config });
      const data = await trainData(dataset, model.config.visual, ctx);
      await model.fit(data, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onEpoch: (r) => ctx.onProgress?.({ phase: `fit ${model.config.visual} (visual-hybrid)`, done: r.epoch, total: r.epochs }),
      });
      const popularity = popularityScores(data.ui);
      return {
        slate: (s, k) => topK(scoresFor(model, popularity, s), k, { exclude: new Set(s.history.keys()) }).items,
        dispose: () => model.dispose(),
      };
    },
  };
}
