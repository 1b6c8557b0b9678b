import { averagePrecisionAtK, precisionAtK } from '../src/metrics/ranking.js';
import { VectorIndex } from '../src/vision/ann-index.js';
import type { ImageEncoder } from '../src/vision/encoder.js';
import type { ImageBatch } from '../src/vision/prepare.js';

/**
 * Retrieval quality of reverse image search: the catalog's images are
 * embedded into a VectorIndex (the product's own index, default settings),
 * each query photo (never in the index) is embedded the same way and
 * searched for its top k, and the hits are scored against relevance labels.
 *
 * P@k = |relevant in top k| / k. AP@k = sum over ranks r <= k holding a
 * relevant hit of P@r, divided by min(k, |relevant in the catalog|)
 * (src/metrics/ranking.ts averagePrecisionAtK, Hamner's apk); mAP@k is its
 * mean over queries. A query with no relevant product in the catalog has no
 * defined AP and is left out of both means (and counted).
 */

/** One notion of "relevant": products with the same label as the query (undefined: unlabelled, never relevant). */
export interface RelevanceLabels {
  /** e.g. "category+colour+pattern". */
  name: string;
  catalog: readonly (string | undefined)[];
  queries: readonly (string | undefined)[];
}

/** Scores of one encoder under one relevance. */
export interface RetrievalScore {
  relevance: string;
  'precision@k': number;
  'map@k': number;
  /** The best P@k any ranking could reach (mean of min(k, |relevant|) / k): P@k is read against it. */
  precisionCeiling: number;
  /** Queries scored, and left out for having no relevant product in the catalog (or no label). */
  queries: number;
  withoutRelevant: number;
}

export interface RetrievalResult {
  scores: RetrievalScore[];
  /** Seconds to embed the catalog and insert it into the index. */
  indexSeconds: number;
  /** Seconds to embed and search every query. */
  querySeconds: number;
  catalogSize: number;
  /** Whether the index answered through HNSW (false: exact search at this size). */
  hnsw: boolean;
}

/** Catalog positions per label value. */
function positionsByLabel(labels: readonly (string | undefined)[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  labels.forEach((v, i) => {
    if (v === undefined) return;
    let s = out.get(v);
    if (s === undefined) out.set(v, (s = new Set()));
    s.add(i);
  });
  return out;
}

/** Embeds the catalog into a new index; returns it with the time taken. */
async function indexCatalog(encoder: ImageEncoder, catalog: ImageBatch): Promise<{ index: VectorIndex; seconds: number }> {
  const t0 = performance.now();
  const vectors = await encoder.embed(catalog);
  const flat = new Float32Array(vectors.length * encoder.dim);
  vectors.forEach((v, i) => flat.set(v, i * encoder.dim));
  const index = new VectorIndex({ dim: encoder.dim });
  // Keys are catalog positions, so hits map straight back to labels.
  index.addMany(vectors.map((_, i) => String(i)), flat);
  return { index, seconds: (performance.now() - t0) / 1000 };
}

function score(ranked: readonly Int32Array[], labels: RelevanceLabels, k: number): RetrievalScore {
  const byLabel = positionsByLabel(labels.catalog);
  let p = 0;
  let ap = 0;
  let ceiling = 0;
  let n = 0;
  ranked.forEach((list, q) => {
    const label = labels.queries[q];
    const rel = label === undefined ? undefined : byLabel.get(label);
    if (rel === undefined || rel.size === 0) return;
    p += precisionAtK(list, rel, k);
    ap += averagePrecisionAtK(list, rel, k);
    ceiling += Math.min(k, rel.size) / k;
    n++;
  });
  const mean = (x: number): number => (n === 0 ? Number.NaN : x / n);
  return { relevance: labels.name, 'precision@k': mean(p), 'map@k': mean(ap), precisionCeiling: mean(ceiling), queries: n, withoutRelevant: ranked.length - n };
}

/**
 * Indexes `catalog` with `encoder`, searches the top `k` for every image of
 * `queries`, and scores the hits under each relevance in `labels` (whose
 * arrays align with the catalog and query images).
 */
export async function evaluateRetrieval(
  encoder: ImageEncoder, catalog: ImageBatch, queries: ImageBatch, labels: readonly RelevanceLabels[], k = 10,
): Promise<RetrievalResult> {
  const { index, seconds } = await indexCatalog(encoder, catalog);
  const t0 = performance.now();
  const vectors = await encoder.embed(queries);
  const ranked = vectors.map((v) => Int32Array.from(index.search(v, k), (h) => Number(h.key)));
  const querySeconds = (performance.now() - t0) / 1000;
  return {
    scores: labels.map((l) => score(ranked, l, k)),
    indexSeconds: seconds, querySeconds, catalogSize: index.size, hnsw: index.usesHnsw,
  };
}
