import { randomBytes } from 'node:crypto';
import { fail, toVitrineError } from '../../core/errors.js';
import type { Logger, Progress } from '../../core/logger.js';
import type { JobRecord, Store } from '../../store/store.js';
import { JOB_KINDS, type JobKind } from './job-kinds.js';
import type { JobExecutor } from './process-executor.js';

/**
 * Background jobs (issue 2: "training, index builds: asynchronous, with
 * progress, in worker threads"). A submitted job is validated, stored as
 * "queued" and answered at once; jobs run one at a time through the
 * executor (a child process each, at idle priority), their progress kept in memory and
 * written to the store at most every `persistMs`. Jobs a previous server
 * left queued or running are marked failed at start.
 */
export interface JobHooks {
  /** Called in the server thread after a job succeeded (e.g. to load the new model). */
  onSucceeded?: (job: JobRecord) => Promise<void> | void;
}

export class JobRunner {
  private readonly queue: string[] = [];
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
    private readonly persistMs = 500,
  ) {
    this.kinds = { ...JOB_KINDS, ...extraKinds };
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
    this.store.putJob(job);
    this.live.set(job.id, job);
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

  list(limit = 50): JobRecord[] {
    return this.store.listJobs(limit).map((j) => this.live.get(j.id) ?? j);
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

  /** Resolves when the queue is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.current !== undefined || this.queue.length > 0) await this.idle;
  }

  /** Cancels everything and waits for the running job to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.queue]) this.cancel(id);
    this.current?.controller.abort();
    await this.drain();
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
    if (persist) this.store.putJob(next);
    return next;
  }

  private finish(job: JobRecord, patch: Partial<JobRecord>): JobRecord {
    const done = this.update(job, { ...patch, finishedAt: new Date().toISOString() }, true);
    this.live.delete(job.id);
    return done;
  }
}
