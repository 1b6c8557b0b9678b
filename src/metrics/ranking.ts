import { relevance, type RelevantItems } from './relevance.js';

/**
 * Accuracy metrics of one shopper's ranked list (conventions.md #6).
 *
 * `ranked` holds item indices, best first, with score ties already resolved
 * by the ranking (vitrine ranks ties by lower item index first, so lists are
 * deterministic). `rel` is the shopper's relevant (held-out) items. The @k
 * metrics look at ranked[0..k); when the list is shorter than k (a tiny
 * candidate set) the missing positions count as misses. Every metric returns
 * 0 when `rel` is empty except `auc`, which is undefined there (NaN).
 * Gains are binary throughout.
 */

/** Number of relevant items among ranked[0..k). */
export function hitsAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  const r = relevance(rel);
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (r.has(ranked[i]!)) hits++;
  return hits;
}

/** P@k = |top-k ∩ rel| / k. */
export function precisionAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  if (k <= 0) return 0;
  return hitsAtK(ranked, rel, k) / k;
}

/** R@k = |top-k ∩ rel| / |rel|. */
export function recallAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  const size = relevance(rel).size;
  return size === 0 ? 0 : hitsAtK(ranked, rel, k) / size;
}

/** HR@k = 1 when at least one relevant item is in the top k, else 0. */
export function hitRateAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  return hitsAtK(ranked, rel, k) > 0 ? 1 : 0;
}

/**
 * AP@k = (1 / min(|rel|, k)) * sum over 0-based ranks i < k with ranked[i] in
 * rel of P@(i+1).
 *
 * Normalised by min(|rel|, k), not |rel|, so a perfect top-k scores 1 even
 * when the shopper has more than k relevant items: the convention of
 * Hamner's `apk` (benhamner/Metrics, Python/ml_metrics/average_precision.py)
 * and of RePlay's MAP (sb-ai-lab/RePlay, replay/metrics/map.py, `max_good =
 * min(k, len(ground_truth))`).
 * MAP@k is its mean over shoppers.
 */
export function averagePrecisionAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  const r = relevance(rel);
  const denom = Math.min(r.size, k);
  if (denom === 0) return 0;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!r.has(ranked[i]!)) continue;
    hits++;
    sum += hits / (i + 1);
  }
  return sum / denom;
}

/** 1 / log2(rank + 2) for a 0-based rank: the discount of Järvelin & Kekäläinen (2002). */
export function discount(rank: number): number {
  return 1 / Math.log2(rank + 2);
}

/**
 * NDCG@k with binary gains (Järvelin & Kekäläinen, "Cumulated gain-based
 * evaluation of IR techniques", ACM TOIS 2002):
 * DCG = sum over hits at 0-based rank i < k of 1/log2(i+2);
 * IDCG = sum over i < min(|rel|, k) of 1/log2(i+2).
 * With one relevant item at rank i < k this is 1/log2(i+2).
 */
export function ndcgAtK(ranked: Int32Array, rel: RelevantItems, k: number): number {
  const r = relevance(rel);
  const ideal = Math.min(r.size, k);
  if (ideal === 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (r.has(ranked[i]!)) dcg += discount(i);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += discount(i);
  return dcg / idcg;
}

/**
 * Reciprocal rank over the full ranking: 1/(i+1) for the 0-based rank i of
 * the first relevant item, 0 when none is ranked (Voorhees, TREC-8 QA track,
 * 1999). MRR is its mean over shoppers.
 */
export function reciprocalRank(ranked: Int32Array, rel: RelevantItems): number {
  const r = relevance(rel);
  for (let i = 0; i < ranked.length; i++) if (r.has(ranked[i]!)) return 1 / (i + 1);
  return 0;
}

/**
 * Per-shopper AUC (Rendle et al., BPR, UAI 2009, section 6.2): over the
 * candidate set given as a full ranking, the fraction of (relevant,
 * non-relevant) pairs in which the relevant item is ranked first.
 *
 * Ties: none remain, because the ranking already ordered equal scores by item
 * index; each pair counts 1 or 0 (never 1/2), consistent with HR and NDCG
 * under the same ranking. Relevant items absent from `ranked` are not
 * candidates and are ignored. NaN when there is no relevant or no
 * non-relevant candidate.
 */
export function auc(ranked: Int32Array, rel: RelevantItems): number {
  const r = relevance(rel);
  const ranks: number[] = [];
  for (let i = 0; i < ranked.length; i++) if (r.has(ranked[i]!)) ranks.push(i);
  return aucFromRanks(Int32Array.from(ranks), ranked.length);
}

/**
 * AUC from the 0-based ranks of the relevant candidates (sorted ascending)
 * among `nCandidates`: the relevant item at rank ranks[j] has j relevant
 * items above it, hence ranks[j] - j non-relevant ones; it beats the other
 * nNeg - (ranks[j] - j). Same definition as `auc`, without the full list.
 */
export function aucFromRanks(ranks: Int32Array, nCandidates: number): number {
  const nRel = ranks.length;
  const nNeg = nCandidates - nRel;
  if (nRel === 0 || nNeg <= 0) return Number.NaN;
  let correct = 0;
  for (let j = 0; j < nRel; j++) correct += nNeg - (ranks[j]! - j);
  return correct / (nRel * nNeg);
}

/**
 * AUC from scores, ties counted as half a pair (the Mann-Whitney statistic;
 * the expected AUC under a random order of tied items, so a model that
 * scores everything alike gets 0.5 whatever the item order): per relevant
 * candidate j, `above[j]` non-relevant candidates scored strictly higher and
 * `ties[j]` exactly equal; each of the other nNeg - above - ties is beaten.
 */
export function aucWithTies(above: Int32Array, ties: Int32Array, nCandidates: number): number {
  const nRel = above.length;
  const nNeg = nCandidates - nRel;
  if (nRel === 0 || nNeg <= 0) return Number.NaN;
  let correct = 0;
  for (let j = 0; j < nRel; j++) correct += nNeg - above[j]! - 0.5 * ties[j]!;
  return correct / (nRel * nNeg);
}

/** Reciprocal rank from the sorted 0-based ranks of the relevant candidates. */
export function reciprocalRankFromRanks(ranks: Int32Array): number {
  return ranks.length === 0 ? 0 : 1 / (ranks[0]! + 1);
}
