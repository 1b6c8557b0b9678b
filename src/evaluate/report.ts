import type { SignalConfig } from '../data/interactions.js';
import type { ExperimentRow, SegmentRow, TieBreak } from './experiment-types.js';
import { protocolLabel, type ProtocolSpec } from './protocol.js';

/**
 * Output shapes of an experiment: a plain-text table for people and a stable
 * JSON shape for programs (camelCase keys; metric names such as `ndcg@10`
 * kept as written; NaN, e.g. a segment with no shoppers, becomes null).
 */

export interface Column {
  key: string;
  /** Header text (default: the key). */
  header?: string;
  /** Formats a value (default: numbers with 4 decimals, others as text). */
  format?: (value: unknown) => string;
}

/** The issue's columns, in order. */
export const DEFAULT_COLUMNS: readonly Column[] = [
  { key: 'model' },
  { key: 'hr@10' },
  { key: 'ndcg@10' },
  { key: 'recall@20' },
  { key: 'map@10' },
  { key: 'precision@10' },
  { key: 'mrr' },
  { key: 'auc' },
  { key: 'coverage' },
  { key: 'novelty' },
  { key: 'diversity' },
  { key: 'fitSeconds', header: 'fit s', format: (v) => fixed(v, 3) },
];

function fixed(v: unknown, digits: number): string {
  if (typeof v !== 'number') return v === undefined || v === null ? '-' : String(v);
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** Reads a dotted path ("cold.hr@10") from a row. */
function lookup(row: object, key: string): unknown {
  if (key in row) return (row as Record<string, unknown>)[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const head = (row as Record<string, unknown>)[key.slice(0, dot)];
  return typeof head === 'object' && head !== null ? lookup(head, key.slice(dot + 1)) : undefined;
}

/**
 * A plain-text table: a header, a rule, one line per row; numbers right-
 * aligned, text left-aligned. Column keys may be dotted ("cold.hr@10").
 */
export function formatTable(rows: readonly object[], columns: readonly (Column | string)[] = DEFAULT_COLUMNS): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { key: c } : c));
  const values = rows.map((row) => cols.map((c) => lookup(row, c.key)));
  const cells = values.map((r) => r.map((v, j) => (cols[j]!.format !== undefined ? cols[j]!.format!(v) : fixed(v, 4))));
  // A column of numbers (missing values aside) is right-aligned.
  const numeric = cols.map((_, j) => values.some((r) => typeof r[j] === 'number'));
  const widths = cols.map((c, j) => Math.max((c.header ?? c.key).length, ...cells.map((r) => r[j]!.length)));
  const line = (parts: string[]): string => parts.join('  ').trimEnd();
  const out = [
    line(cols.map((c, j) => (c.header ?? c.key).padEnd(widths[j]!))),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map((r) => line(r.map((text, j) => (numeric[j] ? text.padStart(widths[j]!) : text.padEnd(widths[j]!))))),
  ];
  return out.join('\n');
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function segmentJson(s: SegmentRow): Record<string, unknown> {
  const out: Record<string, unknown> = { users: s.users };
  for (const [k, v] of Object.entries(s)) if (k !== 'users') out[k] = finite(v);
  return out;
}

/** The stable JSON object of one experiment row (key order fixed). */
export function rowToJson(row: ExperimentRow): Record<string, unknown> {
  const metrics: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(row.metrics)) metrics[k] = finite(v);
  return {
    model: row.model,
    protocol: row.protocol,
    'hr@10': finite(row['hr@10']),
    'ndcg@10': finite(row['ndcg@10']),
    'recall@20': finite(row['recall@20']),
    'map@10': finite(row['map@10']),
    'precision@10': finite(row['precision@10']),
    mrr: finite(row.mrr),
    auc: finite(row.auc),
    coverage: finite(row.coverage),
    novelty: finite(row.novelty),
    diversity: finite(row.diversity),
    diversityDistance: row.diversityDistance,
    fitSeconds: row.fitSeconds,
    hyperparameters: row.hyperparameters,
    tuned: row.tuned,
    validation: row.validation,
    users: row.users,
    trainPairs: row.trainPairs,
    testPairs: row.testPairs,
    cold: segmentJson(row.cold),
    heavy: segmentJson(row.heavy),
    metrics,
  };
}

/**
 * The protocol in words, to print beside the results (reference-figures.md:
 * "print it with results").
 */
export function describeProtocol(
  spec: ProtocolSpec,
  signal: SignalConfig = {},
  counts?: { trainPairs: number; testPairs: number; users: number },
  tieBreak: TieBreak = 'item-id',
): string[] {
  const lines = [`protocol: ${protocolLabel(spec)}`];
  lines.push(
    signal.binary === true
      ? 'signal: every (shopper, item) pair is a positive of value 1'
      : 'signal: unique (shopper, item) pairs; strength = sum of event weights (view 1, click 2, cart 4, purchase 8, rating 1 unless set)',
  );
  const s = spec.split;
  if (s.kind === 'leave-last-out') {
    const tie = tieBreak === 'item-id' ? 'item id' : 'item index';
    lines.push(`split: each shopper's latest pair is the test item; timestamp ties: the larger ${tie} counts as later`);
  } else if (s.kind === 'time-cutoff') {
    lines.push(`split: pairs at or after ${'fraction' in s ? `the ${s.fraction} time quantile` : new Date(s.at).toISOString()} are test`);
  } else if (s.kind === 'cold-items') {
    lines.push(`split: ${s.fraction} of the items with interactions held out of training (seeded); every pair with one of them is a test pair`);
  } else {
    lines.push(`split: ${s.testFraction} of the pairs to test, ${s.kind === 'random' ? 'uniformly' : 'per item category'} (seeded)`);
  }
  lines.push(
    spec.candidates.kind === 'full'
      ? "candidates: every item outside the shopper's training pairs (full ranking); list ties by item index, AUC counts a tie as half a pair"
      : `candidates: ${spec.candidates.n} sampled unseen items plus the test items (sampled metrics); list ties by item index, AUC counts a tie as half a pair`,
  );
  if (counts !== undefined) {
    lines.push(`counts: ${counts.testPairs} test pairs (${counts.users} shoppers), ${counts.trainPairs} training pairs`);
  }
  return lines;
}
