import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/store.js';
import { JobRunner } from './job-runner.js';
import type { JobExecutor } from './process-executor.js';
import { DirectWriter } from '../store-io/serve-writer.js';

/** The runner's bookkeeping around an executor (here a fake one: no process). */
const done: JobExecutor = { run: async () => ({ made: 'model-x' }) };
const echo = { echo: { validate: (p: Record<string, unknown>) => p } };
let store: Store;
afterEach(() => store.close());

describe('job runner', () => {
  it('reads a job as succeeded only once its hooks have run', async () => {
    store = openSqliteStore(':memory:');
    const seen: string[] = [];
    const runner: JobRunner = new JobRunner(store, done, silentLogger, { onSucceeded: (job) => void seen.push(runner.get(job.id).status) }, echo);
    const job = runner.submit('echo', {});
    await runner.drain();
    expect(seen).toEqual(['running']);
    expect(runner.get(job.id)).toMatchObject({ status: 'succeeded', result: { made: 'model-x' } });
  });

  it('fails the job when a hook fails (e.g. the trained model cannot be loaded)', async () => {
    store = openSqliteStore(':memory:');
    const runner = new JobRunner(store, done, silentLogger, { onSucceeded: () => Promise.reject(new Error('cannot load')) }, echo);
    const job = runner.submit('echo', {});
    await runner.drain();
    expect(runner.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(store.getJob(job.id)?.status).toBe('failed');
  });

  it('lists and reads jobs whose records are still being written, and stores every record before close resolves', async () => {
    store = openSqliteStore(':memory:');
    // A writer that holds each record until released, as a busy disk would.
    const direct = new DirectWriter(store);
    const held: (() => void)[] = [];
    const slow = Object.assign(Object.create(direct) as DirectWriter, {
      putJob: (j: Parameters<DirectWriter['putJob']>[0]) => new Promise<void>((r) => held.push(() => void direct.putJob(j).then(r))),
    });
    const runner = new JobRunner(store, done, silentLogger, {}, echo, { writer: slow });
    const job = runner.submit('echo', {});
    expect(store.getJob(job.id)).toBeUndefined();
    expect(runner.list().map((j) => j.id)).toEqual([job.id]);
    await runner.drain();
    expect(runner.get(job.id).status).toBe('succeeded');
    expect(runner.list()[0]).toMatchObject({ id: job.id, status: 'succeeded' });
    const closed = runner.close();
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(isClosed).toBe(false);
    while (held.length > 0) held.shift()!();
    await closed;
    expect(store.getJob(job.id)?.status).toBe('succeeded');
    expect(runner.get(job.id).status).toBe('succeeded');
  });
});
