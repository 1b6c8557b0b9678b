import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger.js';
import type { ReaderReply, ReaderRequest } from './reader-protocol.js';
import { startStoreThread, stopStoreThread } from './store-thread.js';

/** A shopper's stored interactions, as ShopperStates reads them. */
export interface StoredInteractions {
  itemIds: string[];
  types: number[];
  known: boolean;
}

/** Reads for the request path, off the server thread (undefined: read it yourself). */
export interface ServeReader {
  interactionsOf(shopperId: string): Promise<StoredInteractions | undefined>;
  /** Reads answered since start. */
  readonly reads: number;
  /** Whether a thread answers them (false after a failure). */
  readonly threaded: boolean;
  close(): Promise<void>;
}

/**
 * The serving reads in a thread of their own, with a read-only connection.
 * On this machine's disk a read of a page that is not cached can wait
 * hundreds of milliseconds (374 and 642 ms seen on the server thread in
 * pread), and the page cache keeps only part of the store, so a shopper's
 * first request reads here and the event loop goes on answering others.
 * If the thread fails, every read answers undefined (the caller reads on
 * its own thread, as before) and the failure is logged once.
 */
export class ThreadReader implements ServeReader {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (r: StoredInteractions | undefined) => void>();
  private nextId = 1;
  private stopping = false;
  /** Reads answered by the thread. */
  reads = 0;

  constructor(
    private readonly storePath: string,
    private readonly log: Logger,
  ) {}

  start(): this {
    const onMessage = (m: ReaderReply): void => {
      if (m.type === 'stopped') return;
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'failed') done?.(undefined);
      else {
        this.reads++;
        done?.({ itemIds: m.itemIds, types: m.types, known: m.known });
      }
    };
    this.worker = startStoreThread('reader-worker', { storePath: this.storePath }, onMessage, (why) => this.fail(why), () => this.stopping, "reads'");
    return this;
  }

  get threaded(): boolean {
    return this.worker !== undefined;
  }

  interactionsOf(shopperId: string): Promise<StoredInteractions | undefined> {
    const w = this.worker;
    if (w === undefined) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      w.postMessage({ op: 'interactions', id, shopperId } satisfies ReaderRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    if (w === undefined) return;
    this.stopping = true;
    this.worker = undefined;
    this.settleAll();
    await stopStoreThread(w);
  }

  private fail(reason: string): void {
    if (this.worker === undefined) return;
    this.log.error({ err: reason }, "the serving reads' thread failed; reading on the server thread");
    void this.worker.terminate();
    this.worker = undefined;
    this.settleAll();
  }

  private settleAll(): void {
    for (const done of this.pending.values()) done(undefined);
    this.pending.clear();
  }
}
