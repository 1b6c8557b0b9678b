import { randomBytes } from 'node:crypto';
import { fail } from '../../core/errors.js';
import type { ExperimentRecord, ExperimentVariant, Store } from '../../store/store.js';
import { assignVariant } from './assign.js';
import { experimentResults, type ExperimentResults } from './results.js';
import { parseVariants, type VariantConfig } from './variant-config.js';

/**
 * Experiments of the service: at most one runs at a time, and while it runs
 * every shopper's feed uses the configuration of their variant (unless the
 * request names a model explicitly). The running experiment is cached; it
 * changes only through this class.
 */
export interface Assignment {
  experimentId: string;
  variant: ExperimentVariant & { config: VariantConfig };
}

export interface CreateExperiment {
  id?: string;
  name: string;
  variants: { name: string; weight?: number; config?: Record<string, unknown> }[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class Experiments {
  private runningCache: ExperimentRecord | null | undefined;

  constructor(
    private readonly store: Store,
    private readonly hasModel: (name: string) => boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The running experiment, if any. */
  running(): ExperimentRecord | undefined {
    if (this.runningCache === undefined) this.runningCache = this.store.listExperiments().find((e) => e.status === 'running') ?? null;
    return this.runningCache ?? undefined;
  }

  /** Starts an experiment; CONFLICT while another runs or when the id is taken. */
  create(input: CreateExperiment): ExperimentRecord {
    const id = input.id ?? `x${randomBytes(4).toString('hex')}`;
    if (!ID_PATTERN.test(id)) fail('INVALID_ARGUMENT', `experiment id "${id}" must be 1-64 letters, digits, "_", "." or "-"`);
    if (this.store.getExperiment(id) !== undefined) fail('CONFLICT', `experiment "${id}" exists already`);
    const other = this.running();
    if (other !== undefined) fail('CONFLICT', `experiment "${other.id}" is still running`, { hint: `stop it first: POST /api/experiments/${other.id}/stop` });
    const record: ExperimentRecord = {
      id,
      name: input.name,
      status: 'running',
      variants: parseVariants(input.variants, this.hasModel),
      createdAt: new Date(this.clock()).toISOString(),
      stoppedAt: null,
    };
    this.store.putExperiment(record);
    this.runningCache = record;
    return record;
  }

  stop(id: string): ExperimentRecord {
    const e = this.require(id);
    if (e.status === 'stopped') return e;
    const stopped: ExperimentRecord = { ...e, status: 'stopped', stoppedAt: new Date(this.clock()).toISOString() };
    this.store.putExperiment(stopped);
    this.runningCache = undefined;
    return stopped;
  }

  require(id: string): ExperimentRecord {
    const e = this.store.getExperiment(id);
    if (e === undefined) fail('UNKNOWN_ID', `no experiment "${id}"`);
    return e;
  }

  list(): ExperimentRecord[] {
    return this.store.listExperiments();
  }

  /** The running experiment's variant for a shopper. */
  assign(shopperId: string): Assignment | undefined {
    const e = this.running();
    if (e === undefined) return undefined;
    return { experimentId: e.id, variant: assignVariant(e.id, shopperId, e.variants) as Assignment['variant'] };
  }

  /** Results with intervals and tests against the first variant. */
  results(id: string, attributionWindowMs: number, confidence = 0.95): ExperimentResults {
    const e = this.require(id);
    const q = { from: 0, to: 8.64e15, experimentId: id, attributionWindowMs };
    return experimentResults(e, this.store.businessCounts({ ...q, byDay: false }), this.store.businessCounts({ ...q, byDay: true }), confidence);
  }
}
