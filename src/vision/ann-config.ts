import { checkInt, checkOneOf, makeConfig } from './config.js';

/**
 * Settings of a VectorIndex. HNSW (Malkov and Yashunin 2018) through usearch:
 * `connectivity` is M (links per node), `expansionAdd` is efConstruction and
 * `expansionSearch` is ef at query time. Defaults depend on the metric and
 * were chosen with `vitrine bench ann` for recall@10 >= 0.95 against brute
 * force at 100,000 vectors: image embeddings (cos) reach it with a sparse
 * graph and a short search; ALS item factors (ip, norms spanning orders of
 * magnitude, many near-ties) need twice the links and a longer search.
 * Measured (bench/ann.ts, 100,000 vectors, 2 shared cores): cos M=16 ef=48
 * recall@10 0.991, p99 0.92 ms; ip M=32 ef=256 recall@10 0.954, p99 0.9-1.3 ms
 * (ef=192: 0.950, 0.61 ms). Searches for k above expansionSearch use ef = k.
 */

export const INDEX_METRICS = ['cos', 'ip'] as const;
/** cos: vectors are L2-normalised on the way in, similarity is the cosine; ip: raw inner product. */
export type IndexMetric = (typeof INDEX_METRICS)[number];

export const INDEX_MODES = ['auto', 'exact', 'hnsw'] as const;
/** auto: exact search up to `exactThreshold` vectors, HNSW above; exact / hnsw: always that path. */
export type IndexMode = (typeof INDEX_MODES)[number];

export interface VectorIndexConfig {
  dim: number;
  metric: IndexMetric;
  mode: IndexMode;
  /** In auto mode, indexes of at most this many vectors are searched exactly. */
  exactThreshold: number;
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  /** Threads for bulk adds (0: usearch picks); queries run on the calling thread. */
  threads: number;
}

export const INDEX_DEFAULTS: Readonly<Omit<VectorIndexConfig, 'dim'>> = Object.freeze({
  metric: 'cos',
  mode: 'auto',
  exactThreshold: 5000,
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 48,
  threads: 0,
});

/** What differs from INDEX_DEFAULTS for inner-product indexes. */
export const IP_INDEX_DEFAULTS: Readonly<Partial<VectorIndexConfig>> = Object.freeze({ connectivity: 32, expansionSearch: 256 });

function checkIndex(c: VectorIndexConfig): void {
  const w = 'vector index';
  checkInt(w, 'dim', c.dim, 1, 65536);
  checkOneOf(w, 'metric', c.metric, INDEX_METRICS);
  checkOneOf(w, 'mode', c.mode, INDEX_MODES);
  checkInt(w, 'exactThreshold', c.exactThreshold, 0);
  checkInt(w, 'connectivity', c.connectivity, 2, 256);
  checkInt(w, 'expansionAdd', c.expansionAdd, 1, 65536);
  checkInt(w, 'expansionSearch', c.expansionSearch, 1, 65536);
  checkInt(w, 'threads', c.threads, 0, 256);
}

/** Validated, frozen index settings (`dim` is required; graph defaults follow the metric). */
export function indexConfig(c: Partial<VectorIndexConfig> & { dim: number }): Readonly<VectorIndexConfig> {
  const byMetric = c.metric === 'ip' ? IP_INDEX_DEFAULTS : {};
  return makeConfig('vector index', { ...INDEX_DEFAULTS, ...byMetric, dim: c.dim }, c, checkIndex);
}
