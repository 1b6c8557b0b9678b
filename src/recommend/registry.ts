import { readArtifact, readArtifactAsync, type Manifest, type Tensor } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import { yieldToEventLoop } from './model-base.js';
import { AlsModel, ALS_VERSION, type AlsConfig } from './als.js';
import { BprModel, BPR_VERSION, type BprConfig } from './bpr.js';
import { ContentModel, CONTENT_VERSION, type ContentConfig } from './content.js';
import { DvbprModel, DVBPR_VERSION, type DvbprConfig } from './dvbpr.js';
import { HybridModel, HYBRID_VERSION, type HybridConfig } from './hybrid.js';
import { ItemKnnModel, ITEMKNN_VERSION, type ItemKnnConfig } from './itemknn.js';
import { PopularityModel, POPULARITY_VERSION, type PopularityConfig } from './popularity.js';
import { MODEL_KINDS, type ModelKind } from './recommender.js';
import { VbprModel, VBPR_VERSION, type VbprConfig } from './vbpr.js';
import { VisualHybridModel, VISUAL_HYBRID_VERSION, type VisualHybridConfig } from './visual-hybrid.js';

/**
 * The closed model registry (conventions.md #8): one entry per ModelKind,
 * checked by the compiler (`satisfies Record<ModelKind, ...>`), so a kind
 * without a constructor or a loader does not build. Artifacts are loaded by
 * reading tensors into the model's state, never by executing code.
 */

/** Each kind's config and class. */
export interface ModelTypes {
  pop: { config: PopularityConfig; model: PopularityModel };
  itemknn: { config: ItemKnnConfig; model: ItemKnnModel };
  als: { config: AlsConfig; model: AlsModel };
  bpr: { config: BprConfig; model: BprModel };
  content: { config: ContentConfig; model: ContentModel };
  hybrid: { config: HybridConfig; model: HybridModel };
  vbpr: { config: VbprConfig; model: VbprModel };
  dvbpr: { config: DvbprConfig; model: DvbprModel };
  'visual-hybrid': { config: VisualHybridConfig; model: VisualHybridModel };
}

interface ModelEntry<K extends ModelKind> {
  /** Newest layout version this code reads (and writes). */
  version: number;
  create(config?: Partial<ModelTypes[K]['config']>): ModelTypes[K]['model'];
  restore(manifest: Manifest, tensors: Map<string, Tensor>): ModelTypes[K]['model'];
}

const MODELS = {
  pop: { version: POPULARITY_VERSION, create: (c) => new PopularityModel(c), restore: PopularityModel.restore },
  itemknn: { version: ITEMKNN_VERSION, create: (c) => new ItemKnnModel(c), restore: ItemKnnModel.restore },
  als: { version: ALS_VERSION, create: (c) => new AlsModel(c), restore: AlsModel.restore },
  bpr: { version: BPR_VERSION, create: (c) => new BprModel(c), restore: BprModel.restore },
  content: { version: CONTENT_VERSION, create: (c) => new ContentModel(c), restore: ContentModel.restore },
  hybrid: { version: HYBRID_VERSION, create: (c) => new HybridModel(c), restore: HybridModel.restore },
  vbpr: { version: VBPR_VERSION, create: (c) => new VbprModel(c), restore: VbprModel.restore },
  dvbpr: { version: DVBPR_VERSION, create: (c) => new DvbprModel(c), restore: DvbprModel.restore },
  'visual-hybrid': { version: VISUAL_HYBRID_VERSION, create: (c) => new VisualHybridModel(c), restore: VisualHybridModel.restore },
} satisfies { [K in ModelKind]: ModelEntry<K> };

export function isModelKind(kind: string): kind is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(kind);
}

/**
 * A new, unfitted model of `kind` with `config` over its defaults.
 * INVALID_ARGUMENT for an unknown kind or a bad hyperparameter.
 */
export function createModel<K extends ModelKind>(kind: K, config?: Partial<ModelTypes[K]['config']>): ModelTypes[K]['model'] {
  if (!isModelKind(kind)) fail('INVALID_ARGUMENT', `unknown model kind "${String(kind)}"`, { hint: `one of ${MODEL_KINDS.join(', ')}` });
  return (MODELS[kind] as unknown as ModelEntry<K>).create(config);
}

/** The newest layout version of each kind this code reads. */
export function layoutVersion(kind: ModelKind): number {
  return MODELS[kind].version;
}

/**
 * Loads a saved model (its manifest picks the kind). MODEL_NOT_FOUND when
 * there is no artifact; MODEL_INCOMPATIBLE for an unknown kind, a newer
 * layout version, or broken tensors.
 */
export function loadModel(dir: string): ModelTypes[ModelKind]['model'] {
  const { manifest, tensors } = readArtifact(dir);
  return restoreModel(manifest, tensors);
}

/** loadModel that lets the event loop run while the files are read (readArtifactAsync). */
export async function loadModelAsync(dir: string): Promise<ModelTypes[ModelKind]['model']> {
  const { manifest, tensors } = await readArtifactAsync(dir);
  await yieldToEventLoop();
  return restoreModel(manifest, tensors);
}

/** Builds a fitted model from an artifact already in memory. */
export function restoreModel(manifest: Manifest, tensors: Map<string, Tensor>): ModelTypes[ModelKind]['model'] {
  const kind = manifest.kind;
  if (!isModelKind(kind)) fail('MODEL_INCOMPATIBLE', `artifact kind "${kind}" is not a recommender this vitrine knows`, { hint: `known kinds: ${MODEL_KINDS.join(', ')}` });
  const entry = MODELS[kind];
  if (manifest.version > entry.version) {
    fail('MODEL_INCOMPATIBLE', `${kind} artifact has layout version ${manifest.version}; this vitrine reads up to ${entry.version}`, {
      hint: 'upgrade vitrine or retrain the model',
    });
  }
  return entry.restore(manifest, tensors);
}
