import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineClient } from '../client/index.js';
import { priorityLauncher } from './jobs/job-priority.js';
import { ProcessExecutor } from './jobs/process-executor.js';
import { injectFetch, tinyShop, type TinyShop } from './test-utils/shop.js';

/** Background training in a child process, through the API and the typed client. */
const ECHO = { module: new URL('./test-utils/echo-task.ts', import.meta.url).href, exportName: 'echoTask' };
let shop: TinyShop;
let api: VitrineClient;
const succeeded: Record<string, unknown>[] = [];
beforeAll(async () => {
  shop = await tinyShop({
    images: true,
    deps: {
      jobKinds: {
        echo: {
          validate: (p) => ({ steps: 3, delayMs: 10, ...p }),
          task: ECHO,
          onSucceeded: (_params, result) => void succeeded.push(result),
        },
      },
    },
  });
  api = new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.admin });
});
afterAll(() => shop.close());

describe('jobs', () => {
  it('trains a model in a child process while the server keeps answering, then serves it', async () => {
    const job = await api.startJob('train', { model: 'als', name: 'als-fresh', config: { factors: 8, iterations: 4 }, activate: true });
    expect(job.status).toBe('queued');
    // the request path keeps working while the job runs
    const during = await api.recommendations({ shopperId: 's00001', k: 3 });
    expect(during.items).toHaveLength(3);
    const done = await api.waitForJob(job.id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.progress).not.toBeNull();
    expect(done.result).toMatchObject({ name: 'als-fresh', kind: 'als', dataset: { items: 60 } });
    const models = await api.models();
    expect(models.models.find((m) => m.name === 'als-fresh')).toMatchObject({ active: true, kind: 'als' });
    expect((await api.recommendations({ shopperId: 's00001', k: 3 })).model).toBe('als-fresh');
    expect((await api.jobs()).jobs[0]!.id).toBe(job.id);
  }, 90_000);

  it('trains a visual hybrid from the shop\'s product images and serves it, history and all', async () => {
    const config = { cfConfig: { factors: 8, iterations: 4 }, visualConfig: { factors: 4, visualFactors: 4, epochs: 3 } };
    const job = await api.startJob('train', { model: 'visual-hybrid', name: 'vh', config, activate: true });
    const done = await api.waitForJob(job.id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ name: 'vh', kind: 'visual-hybrid' });
    expect((await api.models()).models.find((m) => m.name === 'vh')).toMatchObject({ active: true, kind: 'visual-hybrid' });
    const feed = await api.recommendations({ shopperId: 's00002', k: 5 });
    expect(feed.model).toBe('vh');
    expect(feed.items).toHaveLength(5);
    // a click folds into ALS and content; the visual part keeps the trained shopper (fast-scorer.test.ts checks the scores)
    await api.sendEvent({ shopperId: 's00002', itemId: feed.items[0]!.itemId, type: 'click' });
    const next = await api.recommendations({ shopperId: 's00002', k: 5 });
    expect(next.source).toBe('history');
    expect(next.items.map((it) => it.itemId)).not.toContain(feed.items[0]!.itemId);
  }, 90_000);

  it('runs job kinds registered from outside, and cancels a running job', async () => {
    const done = await api.waitForJob((await api.startJob('echo', { tag: 'x' })).id, { intervalMs: 50, timeoutMs: 60_000 });
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ echoed: { tag: 'x', steps: 3 } });
    expect(succeeded).toHaveLength(1);
    // in its own process, at the lowest priority this machine grants (SCHED_IDLE where chrt works: Linux, CI)
    expect(done.result?.pid).not.toBe(process.pid);
    if (process.platform === 'linux') {
      const given = priorityLauncher('idle').priority;
      expect(done.result).toMatchObject(given === 'idle' ? { policy: 5 } : given === 'low' ? { policy: 0, nice: 19 } : { policy: 0 });
    }
    const slow = await api.startJob('echo', { steps: 1000, delayMs: 20 });
    for (let i = 0; i < 300 && (await api.job(slow.id)).progress === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await api.job(slow.id)).status).toBe('running');
    await api.cancelJob(slow.id);
    const cancelled = await api.waitForJob(slow.id, { intervalMs: 50, timeoutMs: 30_000 });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error?.code).toBe('ABORTED');
  }, 90_000);

  it("hands what a job's process prints to the server's log, line by line", async () => {
    const lines: string[] = [];
    const executor = new ProcessExecutor({ storePath: shop.store.path, modelsDir: shop.modelsDir, threads: 1, onOutput: (line, stream) => lines.push(`${stream}: ${line}`) });
    try {
      const result = await executor.run('echo', { say: 'hello from the job', steps: 1 }, () => undefined, new AbortController().signal, ECHO);
      expect(result).toMatchObject({ echoed: { say: 'hello from the job' } });
      await expect.poll(() => lines).toContain('stderr: hello from the job');
    } finally {
      await executor.close();
    }
  }, 30_000);

  it('starts every job in a fresh process of one job host, not from the server, and a new host if that one dies', async () => {
    const executor = new ProcessExecutor({ storePath: shop.store.path, modelsDir: shop.modelsDir, threads: 1 });
    const signal = new AbortController().signal;
    try {
      const a = await executor.run('echo', { steps: 1 }, () => undefined, signal, ECHO);
      const host = executor.hostPid;
      const b = await executor.run('echo', { steps: 1 }, () => undefined, signal, ECHO);
      expect(host).toBeDefined();
      expect([a.ppid, b.ppid]).toEqual([host, host]);
      expect(a.pid).not.toBe(b.pid);
      expect(host).not.toBe(process.pid);
      // A host killed mid-job fails that job (INTERNAL), and the next job gets a new host.
      const running = executor.run('echo', { steps: 1000, delayMs: 20 }, () => undefined, signal, ECHO);
      await new Promise((r) => setTimeout(r, 300));
      process.kill(host!, 'SIGKILL');
      await expect(running).rejects.toMatchObject({ code: 'INTERNAL' });
      const c = await executor.run('echo', { steps: 1 }, () => undefined, signal, ECHO);
      expect(c.ppid).toBe(executor.hostPid);
      expect(executor.hostPid).not.toBe(host);
    } finally {
      await executor.close();
    }
  }, 60_000);

  it('rejects bad jobs before queueing them, and cancels queued ones', async () => {
    await expect(api.startJob('train', { model: 'gpt' })).rejects.toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    await expect(api.startJob('defrag')).rejects.toMatchObject({ status: 400 });
    await expect(api.startJob('train', { model: 'als', name: '../escape' })).rejects.toMatchObject({ status: 400 });
    await expect(api.job('jnope')).rejects.toMatchObject({ status: 404, code: 'UNKNOWN_ID' });
    const a = await api.startJob('train', { model: 'pop', name: 'pop-a' });
    const b = await api.startJob('train', { model: 'pop', name: 'pop-b' });
    const cancelled = await api.cancelJob(b.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await api.waitForJob(a.id, { intervalMs: 50, timeoutMs: 60_000 })).status).toBe('succeeded');
    expect((await api.job(b.id)).status).toBe('cancelled');
    await expect(new VitrineClient({ fetch: injectFetch(shop.app), apiKey: shop.keys.writer }).jobs()).rejects.toMatchObject({ status: 403 });
  }, 90_000);
});
