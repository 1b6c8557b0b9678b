import { sortedHas } from '../metrics/relevance.js';

/**
 * Ranks one test shopper's candidates from a score row, without sorting the
 * whole catalog: the top-K list (for the @k, coverage, novelty and diversity
 * metrics) and the exact 0-based ranks of the relevant candidates (for MRR
 * and AUC over the full ranking).
 *
 * Order: higher score first; equal scores by lower item index first; NaN
 * scores count as -Infinity. This one rule makes every list metric
 * deterministic. AUC does not depend on it: for each relevant candidate the
 * non-relevant ones scored strictly higher and exactly equal are counted
 * too (relevantAbove, relevantTies), so a tie can count as half a pair.
 */

export interface UserRanking {
  /** The best min(K, nCandidates) candidates, best first. */
  top: Int32Array;
  /** 0-based ranks of the relevant candidates among all candidates, ascending. */
  relevantRanks: Int32Array;
  /** Per relevant candidate (in relevantRanks' order): the non-relevant candidates scored strictly higher. */
  relevantAbove: Int32Array;
  /** Per relevant candidate (same order): the non-relevant candidates with exactly its score. */
  relevantTies: Int32Array;
  nCandidates: number;
}

/** Candidates: every item except the sorted `exclude` list (full ranking), or an explicit sorted list (sampled). */
export type CandidateSet = { kind: 'all-except'; exclude: Int32Array } | { kind: 'list'; items: Int32Array };

/** Whether (s, i) ranks before (t, j). */
function before(s: number, i: number, t: number, j: number): boolean {
  return s > t || (s === t && i < j);
}

function clean(s: number): number {
  return Number.isNaN(s) ? -Infinity : s;
}

/** The candidates in ascending item order: `set.items`, or every item outside `set.exclude` (written into `buf`). */
function candidateList(set: CandidateSet, nItems: number, buf: Int32Array): Int32Array {
  if (set.kind === 'list') return set.items;
  const ex = set.exclude;
  let e = 0;
  let n = 0;
  for (let i = 0; i < nItems; i++) {
    if (e < ex.length && ex[e] === i) {
      e++;
      continue;
    }
    buf[n++] = i;
  }
  return buf.subarray(0, n);
}

/** Ranks one shopper's candidates; `relevant` is sorted ascending. */
export function rankCandidates(
  scores: Float32Array,
  nItems: number,
  set: CandidateSet,
  relevant: Int32Array,
  K: number,
  /** Scratch of nItems entries, reused across calls to avoid an allocation per shopper. */
  buf?: Int32Array,
): UserRanking {
  const topIdx = new Int32Array(K);
  const topScore = new Float64Array(K);
  let nTop = 0;
  // Relevant candidates, sorted best first; aboveCount[p] counts non-relevant
  // candidates that rank just above relevant position p (before p, after p-1).
  const rel = Array.from(relevant).filter((i) => isCandidate(set, nItems, i));
  const relScore = rel.map((i) => clean(scores[i]!));
  const relOrder = rel.map((_, j) => j).sort((a, b) => (before(relScore[a]!, rel[a]!, relScore[b]!, rel[b]!) ? -1 : 1));
  const relS = Float64Array.from(relOrder, (j) => relScore[j]!);
  const relI = Int32Array.from(relOrder, (j) => rel[j]!);
  const aboveCount = new Int32Array(rel.length + 1);
  // strictCount[p]: non-relevant candidates scored strictly above relevant positions p.. (and not above p-1);
  // tieDiff: +1 / -1 at the ends of the run of relevant positions with exactly a candidate's score.
  const strictCount = new Int32Array(rel.length + 1);
  const tieDiff = new Int32Array(rel.length + 1);
  const cands = candidateList(set, nItems, buf ?? new Int32Array(nItems));
  let r = 0; // pointer into `relevant` (sorted) for the membership test
  for (let c = 0; c < cands.length; c++) {
    const i = cands[c]!;
    const s = clean(scores[i]!);
    if (nTop < K || before(s, i, topScore[nTop - 1]!, topIdx[nTop - 1]!)) {
      let pos = nTop < K ? nTop++ : K - 1;
      while (pos > 0 && before(s, i, topScore[pos - 1]!, topIdx[pos - 1]!)) {
        topScore[pos] = topScore[pos - 1]!;
        topIdx[pos] = topIdx[pos - 1]!;
        pos--;
      }
      topScore[pos] = s;
      topIdx[pos] = i;
    }
    while (r < relevant.length && relevant[r]! < i) r++;
    if (r < relevant.length && relevant[r] === i) continue;
    aboveCount[firstBeaten(relS, relI, s, i)]!++;
    const lower = firstBelow(relS, s, false);
    strictCount[lower]!++;
    const equal = firstBelow(relS, s, true);
    if (equal < lower) {
      tieDiff[equal]!++;
      tieDiff[lower]!--;
    }
  }
  const relevantRanks = new Int32Array(rel.length);
  const relevantAbove = new Int32Array(rel.length);
  const relevantTies = new Int32Array(rel.length);
  let above = 0;
  let strict = 0;
  let ties = 0;
  for (let j = 0; j < rel.length; j++) {
    above += aboveCount[j]!;
    relevantRanks[j] = j + above;
    strict += strictCount[j]!;
    relevantAbove[j] = strict;
    ties += tieDiff[j]!;
    relevantTies[j] = ties;
  }
  return { top: topIdx.slice(0, nTop), relevantRanks, relevantAbove, relevantTies, nCandidates: cands.length };
}

/** The first position p of the descending relevant scores with relS[p] < s (orEqual: <= s); relS.length when none. */
function firstBelow(relS: Float64Array, s: number, orEqual: boolean): number {
  let lo = 0;
  let hi = relS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = relS[mid]!;
    if (v < s || (orEqual && v === s)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position p in the sorted relevant list that (s, i) ranks before; rel.length when none. */
function firstBeaten(relS: Float64Array, relI: Int32Array, s: number, i: number): number {
  let lo = 0;
  let hi = relS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(s, i, relS[mid]!, relI[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function isCandidate(set: CandidateSet, nItems: number, i: number): boolean {
  if (i < 0 || i >= nItems) return false;
  return set.kind === 'list' ? sortedHas(set.items, i) : !sortedHas(set.exclude, i);
}
