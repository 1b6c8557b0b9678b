import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/store.js';
import { JobRunner } from './job-runner.js';
import type { JobExecutor } from './process-executor.js';

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
});
