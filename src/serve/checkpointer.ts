import type { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import { spawnWorker } from './jobs/spawn-worker.js';

/**
 * WAL checkpoints off the request path. The server opens its store with
 * automatic checkpoints off (a checkpoint on commit would stall whichever
 * request committed: events, or an impression batch) and this runs passive
 * checkpoints in a worker thread instead. If the thread fails, the server
 * thread checkpoints on the same interval, so the WAL never grows unbounded.
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  private fallback: NodeJS.Timeout | undefined;
  /** Checkpoints the thread has run. */
  runs = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    const w = spawnWorker('checkpoint-worker', { workerData: { storePath: this.store.path, intervalMs: this.intervalMs } });
    w.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'checkpoint') this.runs++;
      else this.log.warn({ err: m.message }, 'WAL checkpoint failed');
    });
    w.on('error', (e: Error) => this.failOver(e));
    w.unref();
    this.worker = w;
  }

  private failOver(e: Error): void {
    this.log.error({ err: e.message }, 'WAL checkpoint thread failed; checkpointing on the server thread');
    this.worker = undefined;
    this.fallback ??= setInterval(() => this.store.checkpoint(), this.intervalMs);
    this.fallback.unref();
  }

  async stop(): Promise<void> {
    if (this.fallback !== undefined) clearInterval(this.fallback);
    const w = this.worker;
    this.worker = undefined;
    if (w === undefined) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    await w.terminate();
  }
}
