import { randomBytes } from 'node:crypto';
import { fail, toVitrineError } from '../../core/errors.js';
import type { Logger, Progress } from '../../core/logger.js';
import type { JobRecord, Store } from '../../store/store.js';
import { JOB_KINDS, type JobKind } from './job-kinds.js';
import type { JobExecutor } from './process-executor.js';
import { DirectWriter, type ServeWriter } from '../store-io/serve-writer.js';

/**
 * Background jobs (issue 2: "training, index builds: asynchronous, with
 * progress, in worker threads"). A submitted job is validated, stored as
 * "queued" and answered at once; jobs run one at a time through the
 * executor (a child process each, at idle priority), their progress kept in memory and
 * written to the store at most every `persistMs`, through the serving writer
 * (its own thread in `vitrine serve`); a job's record stays in memory until
 * its last write is stored. Jobs a previous server left queued or running
 * are marked failed at start.
 */
export interface JobHooks {
  /** Called in the server thread after a job succeeded (e.g. to load the new model). */
  onSucceeded?: (job: JobRecord) => Promise<void> | void;
}

export interface JobRunnerOptions {
  /** Least time between two stored progress updates of a job (default 500 ms). */
  persistMs?: number;
  /** Where job records are written (default: the store, on this thread). */
  writer?: ServeWriter;
}

export class JobRunner {
  private readonly queue: string[] = [];
  /** The last write of each job whose record is not stored yet. */
  private readonly saving = new Map<string, Promise<void>>();
  private readonly writer: ServeWriter;
  private readonly persistMs: number;
  private readonly live = new Map<string, JobRecord>();
  private current: { id: string; controller: AbortController } | undefined;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly kinds: Readonly<Record<string, JobKind>>;

  constructor(
    private readonly store: Store,
    private readonly executor: JobExecutor,
    private readonly log: Logger,
    private readonly hooks: JobHooks = {},
    extraKinds: Readonly<Record<string, JobKind>> = {},
    opts: JobRunnerOptions = {},
  ) {
    this.kinds = { ...JOB_KINDS, ...extraKinds };
    this.persistMs = opts.persistMs ?? 500;
    this.writer = opts.writer ?? new DirectWriter(store);
    for (const j of store.listJobs(1000)) {
      if (j.status === 'queued' || j.status === 'running') {
        store.putJob({ ...j, status: 'failed', error: { code: 'ABORTED', message: 'the server stopped before the job finished' }, finishedAt: new Date().toISOString() });
      }
    }
  }

  /** Queues a job; INVALID_ARGUMENT for an unknown kind or bad parameters. */
  submit(kind: string, params: Record<string, unknown>): JobRecord {
    if (this.closed) fail('CONFLICT', 'the server is shutting down');
    const spec = Object.hasOwn(this.kinds, kind) ? this.kinds[kind] : undefined;
    if (spec === undefined) fail('INVALID_ARGUMENT', `unknown job kind "${kind}"`, { hint: `kinds: ${Object.keys(this.kinds).join(', ')}` });
    const job: JobRecord = {
      id: `j${randomBytes(6).toString('hex')}`,
      kind,
      status: 'queued',
      params: spec.validate(params),
      progress: null,
      result: null,
      error: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    };
    this.live.set(job.id, job);
    this.save(job);
    this.queue.push(job.id);
    this.pump();
    return job;
  }

  /** The latest state of a job (memory first: progress is fresher there). */
  get(id: string): JobRecord {
    const j = this.live.get(id) ?? this.store.getJob(id);
    if (j === undefined) fail('UNKNOWN_ID', `no job "${id}"`);
    return j;
  }

  /** A job of `kind` that is queued or running (from memory, no store read), if any. */
  pending(kind: string): JobRecord | undefined {
    for (const id of this.current === undefined ? this.queue : [this.current.id, ...this.queue]) {
      const j = this.live.get(id);
      if (j?.kind === kind) return j;
    }
    return undefined;
  }

  /** The latest jobs, newest first (those not stored yet included). */
  list(limit = 50): JobRecord[] {
    const stored = this.store.listJobs(limit);
    const ids = new Set(stored.map((j) => j.id));
    const unstored = [...this.live.values()].filter((j) => !ids.has(j.id));
    const all = stored.map((j) => this.live.get(j.id) ?? j).concat(unstored);
    if (unstored.length > 0) all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return all.slice(0, limit);
  }

  /** Cancels a queued or running job; a finished one is returned as it is. */
  cancel(id: string): JobRecord {
    const j = this.get(id);
    if (j.status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      return this.finish(j, { status: 'cancelled', error: { code: 'ABORTED', message: 'cancelled before it started' } });
    }
    if (j.status === 'running' && this.current?.id === id) this.current.controller.abort();
    return j;
  }

  /** Gets the executor ready ahead of the first job (a listening server calls it). */
  warm(): void {
    if (!this.closed) this.executor.warm?.();
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.current !== undefined || this.queue.length > 0) await this.idle;
  }

  /** Cancels everything, waits for the running job to stop and for every record to be stored. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.queue]) this.cancel(id);
    this.current?.controller.abort();
    await this.drain();
    await this.executor.close?.();
    while (this.saving.size > 0) await Promise.all(this.saving.values());
  }

  private pump(): void {
    if (this.current !== undefined) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    const controller = new AbortController();
    this.current = { id, controller };
    this.idle = this.runOne(id, controller).finally(() => {
      this.current = undefined;
      this.pump();
    });
  }

  private async runOne(id: string, controller: AbortController): Promise<void> {
    let job = this.update(this.live.get(id)!, { status: 'running', startedAt: new Date().toISOString() }, true);
    let lastWrite = 0;
    const onProgress = (p: Progress): void => {
      const persist = Date.now() - lastWrite >= this.persistMs;
      if (persist) lastWrite = Date.now();
      job = this.update(job, { progress: { phase: p.phase, done: p.done, total: p.total } }, persist);
    };
    try {
      const spec = this.kinds[job.kind]!;
      const result = await this.executor.run(job.kind, job.params, onProgress, controller.signal, spec.task);
      // The hooks (e.g. load the trained model) run before the job reads as succeeded, so a client that sees
      // "succeeded" finds what the job made in place; a hook that fails fails the job.
      await this.hooks.onSucceeded?.({ ...job, status: 'succeeded', result });
      await spec.onSucceeded?.(job.params, result);
      job = this.finish(job, { status: 'succeeded', result });
    } catch (e) {
      const err = toVitrineError(e);
      const status = err.code === 'ABORTED' ? 'cancelled' : 'failed';
      if (status === 'failed') this.log.error({ jobId: id, code: err.code, err: err.message }, 'job failed');
      job = this.finish(job, { status, error: { code: err.code, message: err.message } });
    }
  }

  private update(job: JobRecord, patch: Partial<JobRecord>, persist: boolean): JobRecord {
    const next = { ...job, ...patch };
    this.live.set(job.id, next);
    if (persist) this.save(next);
    return next;
  }

  /** Writes a record (in order, after the job's earlier writes); a finished job leaves memory once its record is stored. */
  private save(job: JobRecord): void {
    const done = this.writer.putJob(job).catch((e: unknown) => this.log.error({ jobId: job.id, err: e instanceof Error ? e.message : String(e) }, 'could not store a job record'));
    this.saving.set(job.id, done);
    void done.then(() => {
      if (this.saving.get(job.id) !== done) return;
      this.saving.delete(job.id);
      if (job.finishedAt !== null && this.live.get(job.id) === job) this.live.delete(job.id);
    });
  }

  private finish(job: JobRecord, patch: Partial<JobRecord>): JobRecord {
    return this.update(job, { ...patch, finishedAt: new Date().toISOString() }, true);
  }
}
