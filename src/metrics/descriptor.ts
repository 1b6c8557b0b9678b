import { fail } from '../core/errors.js';

/**
 * Metric descriptors (architecture.md, "Key interfaces"): a canonical name as
 * printed in reports and JSON (`ndcg@10`), its cut-off and direction.
 */

export const METRIC_FAMILIES = [
  'precision',
  'recall',
  'hr',
  'map',
  'ndcg',
  'mrr',
  'auc',
  'coverage',
  'novelty',
  'diversity',
] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];

export interface MetricDescriptor {
  /** Canonical name: `family@k`, or the bare family for mrr, auc and coverage (= coverage@10). */
  name: string;
  family: MetricFamily;
  /** Cut-off; null for metrics over the full ranking (mrr, auc). */
  k: number | null;
  higherIsBetter: boolean;
}

/** Families measured over the full ranking: they take no @k. */
const FULL_RANKING: ReadonlySet<MetricFamily> = new Set(['mrr', 'auc']);

/** The cut-off of a bare `coverage` (the issue's `coverage` is coverage@10). */
export const DEFAULT_COVERAGE_K = 10;

const ALIASES: Readonly<Record<string, MetricFamily>> = {
  p: 'precision',
  prec: 'precision',
  r: 'recall',
  hit: 'hr',
  hitrate: 'hr',
  'hit-rate': 'hr',
  ild: 'diversity',
};

/** Builds a descriptor; `k` must be a positive integer except for mrr and auc. */
export function metricDescriptor(family: MetricFamily, k: number | null): MetricDescriptor {
  if (FULL_RANKING.has(family)) return { name: family, family, k: null, higherIsBetter: true };
  const cut = k ?? (family === 'coverage' ? DEFAULT_COVERAGE_K : null);
  if (cut === null || !Number.isInteger(cut) || cut <= 0) {
    fail('INVALID_ARGUMENT', `metric "${family}" needs a cut-off, e.g. "${family}@10"`);
  }
  const name = family === 'coverage' && cut === DEFAULT_COVERAGE_K ? 'coverage' : `${family}@${cut}`;
  return { name, family, k: cut, higherIsBetter: true };
}

/**
 * Parses a metric name: `ndcg@10`, `HR@10`, `recall@20`, `map@10`, `p@5`,
 * `mrr`, `auc`, `coverage` (coverage@10), `novelty@10`, `diversity@10`.
 * Throws INVALID_ARGUMENT on anything else.
 */
export function metricByName(text: string): MetricDescriptor {
  const m = /^\s*([a-z-]+)\s*(?:@\s*(\d+))?\s*$/i.exec(text);
  if (m === null) return badName(text);
  const raw = m[1]!.toLowerCase();
  const family = ALIASES[raw] ?? (METRIC_FAMILIES as readonly string[]).find((f) => f === raw);
  if (family === undefined) return badName(text);
  const k = m[2] === undefined ? null : Number(m[2]);
  if (FULL_RANKING.has(family as MetricFamily) && k !== null) {
    fail('INVALID_ARGUMENT', `metric "${family}" is over the full ranking and takes no @k`);
  }
  return metricDescriptor(family as MetricFamily, k);
}

function badName(text: string): never {
  return fail('INVALID_ARGUMENT', `unknown metric "${text}"`, {
    hint: `use one of ${METRIC_FAMILIES.map((f) => (FULL_RANKING.has(f) || f === 'coverage' ? f : `${f}@k`)).join(', ')}`,
  });
}
