import { fail, throwIfAborted } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { CsrMatrix } from '../data/csr.js';
import { selectPairs, trainDataFromPairs } from '../data/interactions.js';
import { intraListDiversity, novelty, type ItemDistance } from '../metrics/beyond-accuracy.js';
import { metricDescriptor } from '../metrics/descriptor.js';
import {
  averagePrecisionAtK,
  aucWithTies,
  hitRateAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRankFromRanks,
} from '../metrics/ranking.js';
import type { Recommender } from '../recommend/recommender.js';
import { MetricAccumulator } from './accumulator.js';
import { candidatesLabel, sampledCandidates, type CandidateSpec } from './protocol.js';
import { rankCandidates, type CandidateSet } from './rank-candidates.js';
import { segmentUsers, type SegmentOptions } from './segments.js';
import { testUsers, type Split } from './split.js';

export interface EvaluateOptions extends SegmentOptions {
  /** Cut-offs of precision, recall, hr, map and ndcg (default [10, 20]). */
  ks?: readonly number[];
  /** Cut-off of coverage, novelty and diversity (default 10; coverage@10 is reported as `coverage`). */
  listK?: number;
  /** Full ranking (default) or sampled negatives. */
  candidates?: CandidateSpec;
  /** Seed of sampled negatives when `candidates.seed` is not set (default 0). */
  seed?: number;
  /** Training shoppers per item, for novelty (default: counted from the split's training pairs). */
  itemPopularity?: ArrayLike<number>;
  /** Item dissimilarity for intra-list diversity; `diversity@K` is reported only when given. */
  itemDistance?: ItemDistance;
  /** Shoppers scored per `scoreUsers` call (default 256). */
  batchSize?: number;
  /** The split's training matrix when the caller already built it (used to mask training items). */
  train?: CsrMatrix;
  /** Evaluate only these test shoppers (e.g. a sample for fast validation); default every test shopper. */
  users?: Int32Array;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface EvaluationResult {
  /** Printable protocol, e.g. "leave-last-out" or "leave-last-out, sampled-100". */
  protocol: string;
  overall: Record<string, number>;
  /** Test shoppers with at most `coldMaxTrain` (5) training pairs. */
  cold: Record<string, number>;
  /** The heaviest `heavyFraction` (10%) of test shoppers by training pairs. */
  heavy: Record<string, number>;
  counts: { users: number; coldUsers: number; heavyUsers: number };
}

/** The metric keys evaluateModel reports, in report order. */
export function metricKeys(ks: readonly number[], listK: number, withDiversity: boolean): string[] {
  const keys: string[] = [];
  for (const family of ['precision', 'recall', 'hr', 'map', 'ndcg'] as const) {
    for (const k of ks) keys.push(`${family}@${k}`);
  }
  keys.push('mrr', 'auc', metricDescriptor('coverage', listK).name, `novelty@${listK}`);
  if (withDiversity) keys.push(`diversity@${listK}`);
  return keys;
}

/**
 * Evaluates a fitted model on a split: each test shopper's candidates are
 * ranked (training items masked; ties by lower item index in the lists, half a pair in AUC), every metric is
 * computed per shopper and averaged overall and for the cold and heavy
 * segments. Uses `model.scoreUsers` in blocks when the model has it.
 */
export function evaluateModel(model: Recommender, split: Split, opts: EvaluateOptions = {}): EvaluationResult {
  const { pairs } = split;
  const ks = opts.ks ?? [10, 20];
  const listK = opts.listK ?? 10;
  const K = Math.max(listK, ...ks);
  const candidates = opts.candidates ?? { kind: 'full' };
  if (model.nItems !== pairs.nItems) {
    fail('MODEL_INCOMPATIBLE', `model scores ${model.nItems} items but the split has ${pairs.nItems}`);
  }
  const train = opts.train ?? trainDataFromPairs(selectPairs(pairs, split.train), pairs.nUsers, pairs.nItems).ui;
  const popularity = opts.itemPopularity ?? train.columnCounts();
  let nTrainUsers = 0;
  for (let u = 0; u < train.nRows; u++) if (train.rowLength(u) > 0) nTrainUsers++;
  const users = opts.users ?? testUsers(split);
  const seg = segmentUsers(users, train, opts);
  const keys = metricKeys(ks, listK, opts.itemDistance !== undefined);
  const coverageKey = metricDescriptor('coverage', listK).name;
  const acc = [0, 1, 2].map(() => new MetricAccumulator(pairs.nItems, coverageKey, listK));
  const sampledSeed = candidates.kind === 'sampled' ? (candidates.seed ?? opts.seed ?? 0) : 0;
  const scratch = new Int32Array(pairs.nItems);

  forEachScoredUser(model, users, opts, (u, scores) => {
    const relevant = split.test.rowIndices(u);
    const set: CandidateSet =
      candidates.kind === 'full'
        ? { kind: 'all-except', exclude: train.rowIndices(u) }
        : {
            kind: 'list',
            items: sampledCandidates(u, train.rowIndices(u), relevant, pairs.nItems, candidates.n, sampledSeed),
          };
    const ranking = rankCandidates(scores, pairs.nItems, set, relevant, K, scratch);
    const values: Record<string, number> = {};
    for (const k of ks) {
      values[`precision@${k}`] = precisionAtK(ranking.top, relevant, k);
      values[`recall@${k}`] = recallAtK(ranking.top, relevant, k);
      values[`hr@${k}`] = hitRateAtK(ranking.top, relevant, k);
      values[`map@${k}`] = averagePrecisionAtK(ranking.top, relevant, k);
      values[`ndcg@${k}`] = ndcgAtK(ranking.top, relevant, k);
    }
    values.mrr = reciprocalRankFromRanks(ranking.relevantRanks);
    values.auc = aucWithTies(ranking.relevantAbove, ranking.relevantTies, ranking.nCandidates);
    values[`novelty@${listK}`] = novelty(ranking.top, popularity, nTrainUsers, listK);
    if (opts.itemDistance !== undefined) {
      values[`diversity@${listK}`] = intraListDiversity(ranking.top, opts.itemDistance, listK);
    }
    const top = ranking.top.subarray(0, listK);
    acc[0]!.addUser(values, top);
    if (seg.cold[u] === 1) acc[1]!.addUser(values, top);
    if (seg.heavy[u] === 1) acc[2]!.addUser(values, top);
  });

  const c = candidatesLabel(candidates);
  return {
    protocol: c === '' ? split.protocol : `${split.protocol}, ${c}`,
    overall: acc[0]!.result(keys),
    cold: acc[1]!.result(keys),
    heavy: acc[2]!.result(keys),
    counts: { users: acc[0]!.users, coldUsers: acc[1]!.users, heavyUsers: acc[2]!.users },
  };
}

/** Scores `users` block by block (scoreUsers when available, else scoreUser) and hands each row to `f`. */
function forEachScoredUser(
  model: Recommender,
  users: Int32Array,
  opts: EvaluateOptions,
  f: (userIdx: number, scores: Float32Array) => void,
): void {
  const nItems = model.nItems;
  const batch = Math.max(1, Math.floor(opts.batchSize ?? 256));
  const block = new Float32Array(Math.min(batch, Math.max(1, users.length)) * nItems);
  for (let start = 0; start < users.length; start += batch) {
    throwIfAborted(opts.signal);
    const ids = users.subarray(start, Math.min(users.length, start + batch));
    for (const u of ids) {
      if (u >= model.nUsers) fail('MODEL_INCOMPATIBLE', `model knows ${model.nUsers} shoppers; shopper index ${u} is out of range`);
    }
    if (model.scoreUsers !== undefined) {
      model.scoreUsers(ids, block.subarray(0, ids.length * nItems));
    } else {
      ids.forEach((u, r) => {
        const row = block.subarray(r * nItems, (r + 1) * nItems);
        const got = model.scoreUser(u, row);
        if (got !== row) row.set(got);
      });
    }
    ids.forEach((u, r) => f(u, block.subarray(r * nItems, (r + 1) * nItems)));
    opts.onProgress?.({ phase: 'evaluate', done: start + ids.length, total: users.length });
  }
}
