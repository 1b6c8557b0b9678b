import { fail } from '../core/errors.js';
import { banditConfig, type BanditConfig } from '../recommend/bandit.js';
import { sessionConfig, type SessionConfig } from '../recommend/session.js';
import { JOB_PRIORITIES, type JobPriority } from './jobs/job-priority.js';

/**
 * The service's settings: typed, frozen and validated once, with the
 * defaults beside them (conventions.md #3). `vitrine serve` sets a few from
 * flags; tests and the bench pass their own.
 */
export interface ServeConfig {
  /** Largest JSON body in bytes (a batch of events included). */
  bodyLimit: number;
  /** Largest uploaded photo in bytes. */
  uploadLimit: number;
  /** Requests per client (API key, else session, else IP) per window; 0 turns rate limiting off. */
  rateLimit: { max: number; windowMs: number };
  /** Most events in one batch request. */
  maxBatch: number;
  /** Slate size when the request names none, and the largest allowed. */
  defaultK: number;
  maxK: number;
  /** Candidates ranked before re-ranking: max(minCandidates, candidatesPerSlot × k). */
  candidatesPerSlot: number;
  minCandidates: number;
  /** Keep each shopper's scored candidates until their history, the model or the catalog changes (recommend/candidates.ts); false scores every request. */
  candidateCache: boolean;
  /** Default diversity in [0, 1] (MMR trade-off 1 - λ). */
  diversity: number;
  session: Readonly<SessionConfig>;
  bandit: Readonly<BanditConfig>;
  /** A click counts for an impression of the same product this long after it. */
  attributionWindowMs: number;
  /** Impressions are written in batches at most this often (they are not acknowledged events). */
  impressionFlushMs: number;
  /** Model served when a request names none (default: hybrid, else als, else the first loaded). */
  defaultModel: string | null;
  /** Secret that signs session cookies (random per process when not set). */
  cookieSecret: string | null;
  /** Seed of the exploration draws. */
  seed: number;
  /** Threads the CF kernels may use inside a training job's process. */
  jobThreads: number;
  /** Scheduling priority of job processes: idle (SCHED_IDLE), low (nice 19) or normal. */
  jobPriority: JobPriority;
  /** SSE keep-alive comment interval. */
  heartbeatMs: number;
  /**
   * Scheduled retraining of the served model (jobs/retrain-scheduler.ts):
   * checked every `everyMs` (0: off), retrained when the store holds at
   * least `minNewEvents` events more than the model was trained on, or
   * products it does not know.
   */
  retrain: { everyMs: number; minNewEvents: number };
  /** How often to look for products another process wrote to the store (store-watch.ts); 0: never. */
  catalogReloadMs: number;
}

export const SERVE_DEFAULTS: Readonly<ServeConfig> = Object.freeze({
  bodyLimit: 1 << 20,
  uploadLimit: 5 << 20,
  rateLimit: Object.freeze({ max: 600, windowMs: 60_000 }),
  maxBatch: 10_000,
  defaultK: 10,
  maxK: 100,
  candidatesPerSlot: 4,
  minCandidates: 50,
  candidateCache: true,
  diversity: 0.2,
  session: sessionConfig(),
  bandit: banditConfig(),
  attributionWindowMs: 30 * 60_000,
  impressionFlushMs: 100,
  defaultModel: null,
  cookieSecret: null,
  seed: 42,
  jobThreads: 1,
  jobPriority: 'idle',
  heartbeatMs: 15_000,
  retrain: Object.freeze({ everyMs: 0, minNewEvents: 1000 }),
  catalogReloadMs: 5000,
});

export type ServeConfigInput = Partial<Omit<ServeConfig, 'session' | 'bandit' | 'rateLimit' | 'retrain'>> & {
  session?: Partial<SessionConfig>;
  bandit?: Partial<BanditConfig>;
  rateLimit?: Partial<ServeConfig['rateLimit']>;
  retrain?: Partial<ServeConfig['retrain']>;
};

function positiveInt(name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) fail('INVALID_ARGUMENT', `serve config: ${name} must be an integer >= ${min}, got ${v}`);
}

/** Defaults merged with `input`, validated and frozen. */
export function serveConfig(input: ServeConfigInput = {}): Readonly<ServeConfig> {
  const c: ServeConfig = {
    ...SERVE_DEFAULTS,
    ...input,
    session: sessionConfig({ ...SERVE_DEFAULTS.session, ...input.session }),
    bandit: banditConfig({ ...SERVE_DEFAULTS.bandit, ...input.bandit }),
    rateLimit: Object.freeze({ ...SERVE_DEFAULTS.rateLimit, ...input.rateLimit }),
    retrain: Object.freeze({ ...SERVE_DEFAULTS.retrain, ...input.retrain }),
  };
  positiveInt('bodyLimit', c.bodyLimit);
  positiveInt('uploadLimit', c.uploadLimit);
  positiveInt('rateLimit.max', c.rateLimit.max, 0);
  positiveInt('rateLimit.windowMs', c.rateLimit.windowMs);
  positiveInt('maxBatch', c.maxBatch);
  positiveInt('maxK', c.maxK);
  positiveInt('defaultK', c.defaultK);
  if (c.defaultK > c.maxK) fail('INVALID_ARGUMENT', `serve config: defaultK ${c.defaultK} exceeds maxK ${c.maxK}`);
  positiveInt('candidatesPerSlot', c.candidatesPerSlot);
  positiveInt('minCandidates', c.minCandidates);
  if (!(c.diversity >= 0 && c.diversity <= 1)) fail('INVALID_ARGUMENT', `serve config: diversity must be in [0, 1], got ${c.diversity}`);
  positiveInt('attributionWindowMs', c.attributionWindowMs);
  positiveInt('impressionFlushMs', c.impressionFlushMs);
  positiveInt('jobThreads', c.jobThreads);
  if (!JOB_PRIORITIES.includes(c.jobPriority)) fail('INVALID_ARGUMENT', `serve config: jobPriority must be one of ${JOB_PRIORITIES.join(', ')}, got ${String(c.jobPriority)}`);
  positiveInt('heartbeatMs', c.heartbeatMs);
  positiveInt('retrain.everyMs', c.retrain.everyMs, 0);
  positiveInt('retrain.minNewEvents', c.retrain.minNewEvents, 0);
  positiveInt('catalogReloadMs', c.catalogReloadMs, 0);
  return Object.freeze(c);
}
