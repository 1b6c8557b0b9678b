/** Recommenders: one interface, one model per file, shared ranking (see recommender.ts and rank.ts). */
export * from './recommender.js';
export { makeConfig, type ConfigValue } from './config.js';
export { PopularityModel, POPULARITY_DEFAULTS, POPULARITY_VERSION, popularityScores, type PopularityConfig } from './popularity.js';
export { ItemKnnModel, ITEMKNN_DEFAULTS, ITEMKNN_VERSION, type ItemKnnConfig } from './itemknn.js';
export { AlsModel, ALS_DEFAULTS, ALS_VERSION, type AlsConfig } from './als.js';
export { BprModel, BPR_DEFAULTS, BPR_VERSION, type BprConfig } from './bpr.js';
export { ContentModel, CONTENT_DEFAULTS, CONTENT_VERSION, type ContentConfig } from './content.js';
export { HybridModel, HYBRID_DEFAULTS, HYBRID_VERSION, CF_KINDS, blend, type CfKind, type HybridConfig } from './hybrid.js';
export { VisualHybridModel, VISUAL_HYBRID_DEFAULTS, VISUAL_HYBRID_VERSION, VISUAL_KINDS, blendParts, type VisualHybridConfig, type VisualKind } from './visual-hybrid.js';
export { buildItemFeatures, type ContentFeatureOptions } from './content-features.js';
export { tokenize, tfidf } from './tfidf.js';
export { foldIn, type FoldInInput } from './foldin.js';
export { normalizeHistory, type History } from './history.js';
export { createModel, loadModel, restoreModel, layoutVersion, isModelKind, type ModelTypes } from './registry.js';
export {
  topK,
  recommend,
  topKForUsers,
  type Ranked,
  type TopKOptions,
  type ShopperRef,
  type RecommendOptions,
  type RecommendSource,
  type Recommendation,
  type BatchRanked,
} from './rank.js';
export { mmr, capPerCategory } from './rerank.js';
