import { fail } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { sortedHas } from '../metrics/relevance.js';
import { splitLabel, type SplitOptions } from './split.js';

/**
 * An evaluation protocol: how pairs are split and which items each test
 * shopper's model ranks. Full ranking over every item outside the shopper's
 * training pairs is the default; sampled negatives are an option and are
 * always labelled in the output ("leave-last-out, sampled-100"), because
 * sampled figures are not comparable with full-ranking ones (Krichene &
 * Rendle, "On sampled metrics for item recommendation", KDD 2020).
 */

export type CandidateSpec =
  | { kind: 'full' }
  | { kind: 'sampled'; /** Negatives per shopper. */ n: number; /** Default: the experiment seed. */ seed?: number };

export interface ProtocolSpec {
  split: SplitOptions;
  candidates: CandidateSpec;
}

export const FULL_RANKING: Readonly<CandidateSpec> = Object.freeze({ kind: 'full' as const });

/** The reference ML-100k protocol's split and candidates (shared/design/reference-figures.md). */
export const REFERENCE_PROTOCOL: Readonly<ProtocolSpec> = Object.freeze({
  split: { kind: 'leave-last-out' as const },
  candidates: { kind: 'full' as const },
});

/** "sampled-100", or "" for full ranking. */
export function candidatesLabel(c: CandidateSpec): string {
  return c.kind === 'full' ? '' : `sampled-${c.n}`;
}

/** The printable protocol: "leave-last-out" or "leave-last-out, sampled-100". */
export function protocolLabel(spec: ProtocolSpec): string {
  const c = candidatesLabel(spec.candidates);
  return c === '' ? splitLabel(spec.split) : `${splitLabel(spec.split)}, ${c}`;
}

/**
 * Parses a protocol name: `leave-last-out`, `time-cutoff` (0.8 of the pairs
 * train), `time-cutoff-0.7`, `time-cutoff@2024-01-01`, `random` (0.2 test),
 * `random-0.1`, `stratified` (0.2 test), `stratified-0.25`, `cold-items` (0.2
 * of the items held out of training; splits.ts's coldItems), each optionally
 * followed by `, sampled-N` (or `+sampled-N`).
 */
export function parseProtocol(text: string): ProtocolSpec {
  const [splitText = '', ...rest] = text.split(/[,+]/).map((s) => s.trim().toLowerCase());
  if (rest.length > 1) return badProtocol(text);
  let candidates: CandidateSpec = { kind: 'full' };
  const cand = rest[0];
  if (cand !== undefined && cand !== 'full') {
    const m = /^sampled-(\d+)$/.exec(cand);
    if (m === null || Number(m[1]) <= 0) return badProtocol(text);
    candidates = { kind: 'sampled', n: Number(m[1]) };
  }
  return { split: parseSplit(splitText, text), candidates };
}

function parseSplit(s: string, text: string): SplitOptions {
  if (s === 'leave-last-out' || s === 'leave-one-out' || s === 'llo') return { kind: 'leave-last-out' };
  const at = /^time-cutoff@(.+)$/.exec(s);
  if (at !== null) {
    const t = /^\d+$/.test(at[1]!) ? Number(at[1]) : Date.parse(at[1]!);
    if (!Number.isFinite(t)) return badProtocol(text);
    return { kind: 'time-cutoff', at: t };
  }
  const m = /^(time-cutoff|random|stratified|cold-items)(?:-(0?\.\d+))?$/.exec(s);
  if (m === null) return badProtocol(text);
  const f = m[2] === undefined ? undefined : Number(m[2]);
  if (f !== undefined && !(f > 0 && f < 1)) return badProtocol(text);
  if (m[1] === 'time-cutoff') return { kind: 'time-cutoff', fraction: f ?? 0.8 };
  if (m[1] === 'cold-items') return { kind: 'cold-items', fraction: f ?? 0.2 };
  if (m[1] === 'random') return { kind: 'random', testFraction: f ?? 0.2 };
  return { kind: 'stratified', testFraction: f ?? 0.2 };
}

function badProtocol(text: string): never {
  return fail('INVALID_ARGUMENT', `unknown protocol "${text}"`, {
    hint: 'use leave-last-out, time-cutoff[-0.8|@DATE], random[-0.2], stratified[-0.2] or cold-items[-0.2], optionally ", sampled-100"',
  });
}

/**
 * One test shopper's sampled candidates: `n` items drawn uniformly without
 * replacement from those neither in `trainItems` nor in `relevant` (both
 * sorted), plus the relevant items; sorted ascending. Seeded per shopper
 * (Rng.derive(seed, "sampled:" + userIdx)), so the draw does not depend on
 * evaluation order or batch size.
 */
export function sampledCandidates(
  userIdx: number,
  trainItems: Int32Array,
  relevant: Int32Array,
  nItems: number,
  n: number,
  seed: number,
): Int32Array {
  const excluded = (i: number): boolean => sortedHas(trainItems, i) || sortedHas(relevant, i);
  const rng = Rng.derive(seed, `sampled:${userIdx}`);
  // A lower bound on the items available (train and relevant are disjoint by construction).
  const available = nItems - trainItems.length - relevant.length;
  const picked = new Set<number>();
  if (available > 2 * n) {
    // Rejection sampling: at most half the draws fail, so this ends quickly.
    while (picked.size < n) {
      const i = rng.int(nItems);
      if (!excluded(i)) picked.add(i);
    }
  } else {
    const pool: number[] = [];
    for (let i = 0; i < nItems; i++) if (!excluded(i)) pool.push(i);
    for (const i of rng.shuffle(pool).slice(0, n)) picked.add(i);
  }
  for (const r of relevant) picked.add(r);
  return Int32Array.from(picked).sort();
}
