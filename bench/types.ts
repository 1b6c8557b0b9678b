import type { ProgressFn } from '../src/core/logger.js';

/** What every suite returns; the CLI prints `rows` as a table (or everything as JSON). */
export interface BenchResult {
  suite: string;
  /** The protocol and setup, printed above the table. */
  protocol: string[];
  rows: Array<Record<string, string | number | boolean | null>>;
  notes: string[];
  environment: Record<string, string | number | boolean>;
}

export interface BenchOptions {
  /** Runs per timing (medians are reported). */
  runs?: number;
  /** Dataset path (else $VITRINE_DATASETS). */
  data?: string;
  /** A saved image encoder folder for the suites that read image features (visual: VBPR's features). */
  encoder?: string;
  /** visual: train a CNN encoder per dataset for VBPR's features instead (bench/visual-encoder.ts). */
  trainEncoder?: boolean;
  onProgress?: ProgressFn;
}

export type BenchSuite = (opts: BenchOptions) => Promise<BenchResult>;
