import { randomUUID } from 'node:crypto';
import { fail, toVitrineError } from '../../core/errors.js';
import { EVENT_TYPES, type EventType, type ShopEvent } from '../../data/schema.js';
import type { Store } from '../../store/store.js';
import type { ImpressionLog } from '../impressions.js';
import type { ItemCatalog } from '../item-catalog.js';
import type { FeedHub } from '../realtime/feed-hub.js';
import type { ShopperStates } from '../shopper-state.js';
import { DirectWriter, type EventGroupResult, type ServeWriter } from '../store-io/serve-writer.js';

/**
 * Event ingestion (issue 2: "events (view, click, add-to-cart, purchase;
 * single and batch)"; issue 7: "killing the server in the middle of an event
 * burst loses no acknowledged event"). Events are validated, then written in
 * a SQLite transaction (WAL) that has committed before the reply is sent:
 * an acknowledged event survives a SIGKILL of the server. The commit runs
 * in the serving writer (its own thread in `vitrine serve`), one at a time:
 * the requests that arrive while one is being written share the next
 * (group commit), which is what makes thousands of single-event requests a
 * second cheap: a commit costs the same for one event as for fifty. A
 * batch request is all or nothing. Keys make retries idempotent (a key
 * already stored is skipped, not added twice). Only after the commit do the
 * in-memory states move: the shopper's strengths and session (so the next
 * feed folds the event in), the bandit's click counts, and the live feeds
 * of that shopper.
 */

/** What clients send; "add-to-cart" is accepted for "cart". */
export interface EventInput {
  key?: string;
  shopperId?: string;
  itemId: string;
  type: string;
  ts?: number;
  value?: number;
  price?: number | null;
  sessionId?: string | null;
}

export interface IngestResult {
  added: number;
  /** Keys already stored (retries). */
  skipped: number;
  keys: string[];
}

const TYPE_ALIASES: Readonly<Record<string, EventType>> = { 'add-to-cart': 'cart', add_to_cart: 'cart' };

export interface IngestDeps {
  store: Store;
  items: ItemCatalog;
  shoppers: ShopperStates;
  impressions: ImpressionLog;
  hub: FeedHub;
  clock: () => number;
  /** Where events are written (default: the store, on this thread). */
  writer?: ServeWriter;
}

interface Pending {
  events: ShopEvent[];
  receivedAt: number;
  resolve(r: IngestResult): void;
  reject(e: unknown): void;
}

export class EventIngest {
  private total = 0;
  private queue: Pending[] = [];
  private scheduled = false;
  private writing = false;
  private readonly writer: ServeWriter;

  constructor(private readonly d: IngestDeps) {
    this.writer = d.writer ?? new DirectWriter(d.store);
  }

  /** Events acknowledged since start. */
  get acknowledged(): number {
    return this.total;
  }

  /**
   * Validates events (a bad one rejects at once, nothing written), then
   * queues them for the next group commit: the requests that arrived in the
   * same turn of the event loop, or while the previous commit was being
   * written, are written in one transaction (ServeWriter.addEventGroups),
   * and each promise resolves only after that commit.
   * `sessionShopper` fills a missing shopperId (and must match one that is given).
   */
  ingest(inputs: readonly EventInput[], sessionShopper?: string): Promise<IngestResult> {
    const receivedAt = this.d.clock();
    let events: ShopEvent[];
    try {
      events = inputs.map((e, i) => this.normalise(e, i, receivedAt, sessionShopper));
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events, receivedAt, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => void this.commit());
  }

  private async commit(): Promise<void> {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    this.writing = true;
    // A shopper's stored interactions read meanwhile (ShopperStates.prefetch) may or may not hold these events: not used.
    const shoppers = new Set(group.flatMap((p) => p.events.map((e) => e.shopperId)));
    this.d.shoppers.hold(shoppers);
    let results: EventGroupResult[];
    try {
      // A group that fails is retried alone by the writer, so one bad request fails alone.
      results = await this.writer.addEventGroups(group.map((p) => p.events));
    } catch (e) {
      results = group.map(() => toVitrineError(e));
    } finally {
      this.writing = false;
    }
    try {
      group.forEach((p, i) => {
        const r = results[i]!;
        if (r instanceof Error) p.reject(r);
        else p.resolve(this.apply(p, r));
      });
    } finally {
      this.d.shoppers.release(shoppers);
    }
    if (this.queue.length > 0) this.schedule();
  }

  /** In-memory effects of committed events: fold-in state, session, bandit clicks, live feeds. */
  private apply(p: Pending, r: { added: number; skipped: number }): IngestResult {
    this.total += r.added;
    const shoppers = new Set(p.events.map((e) => e.shopperId));
    for (const e of p.events) this.d.items.noteEvent(e.itemId);
    if (r.skipped > 0) {
      // Some were retries: let the affected shoppers re-read their history.
      this.d.shoppers.invalidate(shoppers);
    } else {
      this.d.shoppers.record(p.events, p.receivedAt);
      for (const e of p.events) if (e.type === 'click') this.d.impressions.click(e.shopperId, e.itemId, p.receivedAt);
    }
    this.d.hub.notify(shoppers);
    return { added: r.added, skipped: r.skipped, keys: p.events.map((e) => e.key) };
  }

  private normalise(e: EventInput, i: number, now: number, sessionShopper: string | undefined): ShopEvent {
    const where = `event ${i}`;
    const type = TYPE_ALIASES[e.type] ?? e.type;
    if (!(EVENT_TYPES as readonly string[]).includes(type)) fail('INVALID_ARGUMENT', `${where}: unknown type "${e.type}"`, { hint: 'view, click, add-to-cart (or cart), purchase, rating' });
    const shopperId = e.shopperId ?? sessionShopper;
    if (shopperId === undefined || shopperId === '') fail('INVALID_ARGUMENT', `${where}: shopperId is missing`, { hint: 'name the shopper, or send the session cookie' });
    if (sessionShopper !== undefined && e.shopperId !== undefined && e.shopperId !== sessionShopper) {
      fail('FORBIDDEN', `${where}: a session may only post events of its own shopper`);
    }
    const item = this.d.items.get(e.itemId);
    if (item === undefined) fail('UNKNOWN_ID', `${where}: unknown product "${e.itemId}"`);
    const value = e.value ?? 1;
    if (!(value > 0) || !Number.isFinite(value)) fail('INVALID_ARGUMENT', `${where}: value must be a finite number > 0`);
    const ts = e.ts ?? now;
    if (!Number.isFinite(ts) || ts < 0) fail('INVALID_ARGUMENT', `${where}: ts must be a unix time in ms`);
    const price = e.price ?? (type === 'purchase' || type === 'cart' ? item.price : null);
    return { key: e.key ?? `api-${randomUUID()}`, shopperId, itemId: e.itemId, type: type as EventType, ts, value, price, sessionId: e.sessionId ?? null };
  }
}
