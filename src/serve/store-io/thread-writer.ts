import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger.js';
import type { ShopEvent } from '../../data/schema.js';
import type { JobRecord, Store } from '../../store/store.js';
import { DirectWriter, fromWire, type EventGroupResult, type ImpressionBatch, type ImpressionWriteResult, type ServeWriter } from './serve-writer.js';
import { startStoreThread, stopStoreThread } from './store-thread.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

type Request = Exclude<WriterRequest, { op: 'stop' }>;
type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

interface Pending {
  req: Request;
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** Settles with the write. */
  done: Promise<unknown>;
}

/**
 * The serving writes in a thread of their own (serve-writer.ts says why).
 * If the thread fails, the writes it had not answered are run again on the
 * server thread (events carry keys, so one the thread had committed is
 * skipped, not added twice) and every later write runs there too.
 */
export class ThreadWriter implements ServeWriter {
  private worker: Worker | undefined;
  private readonly direct: DirectWriter;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private external = 0;
  private stopping = false;
  /** Writes the thread answered (those on the server thread are the direct writer's). */
  private threadWrites = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly watchMs = 250,
  ) {
    this.direct = new DirectWriter(store);
  }

  /** Starts the thread (a store file is needed: an in-memory store cannot be shared). */
  start(): this {
    this.worker = startStoreThread('writer-worker', { storePath: this.store.path, watchMs: this.watchMs }, (m: WriterReply) => this.onMessage(m), (why) => this.failOver(why), () => this.stopping, "writes'");
    return this;
  }

  /** Whether writes run in the thread (false after a failure, or before start). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  addEventGroups(groups: readonly (readonly ShopEvent[])[]): Promise<EventGroupResult[]> {
    return this.send({ op: 'events', groups }) as Promise<EventGroupResult[]>;
  }

  logImpressions(batch: ImpressionBatch): Promise<ImpressionWriteResult> {
    return this.send({ op: 'impressions', batch }) as Promise<ImpressionWriteResult>;
  }

  putJob(job: JobRecord): Promise<void> {
    return this.send({ op: 'job', job }) as Promise<void>;
  }

  get writes(): number {
    return this.threadWrites + this.direct.writes;
  }

  externalVersion(): number {
    return this.worker === undefined ? this.external + this.direct.externalVersion() : this.external;
  }

  async close(): Promise<void> {
    const w = this.worker;
    if (w === undefined) return;
    await Promise.allSettled([...this.pending.values()].map((p) => p.done));
    this.stopping = true;
    this.worker = undefined;
    await stopStoreThread(w);
  }

  private send(body: Body): Promise<unknown> {
    if (this.worker === undefined) return this.runDirect(body);
    const id = this.nextId++;
    const req = { ...body, id } as Request;
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const done = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    this.pending.set(id, { req, ...settle, done });
    this.worker.postMessage(req);
    return done;
  }

  private runDirect(body: Body): Promise<unknown> {
    if (body.op === 'events') return this.direct.addEventGroups(body.groups);
    if (body.op === 'impressions') return this.direct.logImpressions(body.batch);
    return this.direct.putJob(body.job);
  }

  private onMessage(m: WriterReply): void {
    if (m.type === 'external') {
      this.external++;
      return;
    }
    if (m.type === 'fatal') {
      this.failOver(m.error.message);
      return;
    }
    if (m.type === 'stopped') return;
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (m.type === 'failed') return p.reject(fromWire(m.error));
    this.threadWrites++;
    if (m.op === 'events') p.resolve(m.results.map((r) => ('error' in r ? fromWire(r.error) : r)));
    else if (m.op === 'impressions') p.resolve(m.result);
    else p.resolve(undefined);
  }

  private failOver(reason: string): void {
    if (this.worker === undefined && this.pending.size === 0) return;
    this.log.error({ err: reason }, "the serving writes' thread failed; writing on the server thread");
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    const replay = [...this.pending.entries()].sort((a, b) => a[0] - b[0]);
    this.pending.clear();
    for (const [, p] of replay) {
      const { id: _id, ...body } = p.req;
      this.runDirect(body as Body).then(p.resolve, p.reject);
    }
  }
}
