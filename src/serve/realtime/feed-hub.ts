import type { Logger } from '../../core/logger.js';
import { toHttpError, errorBody } from '../errors.js';
import type { FeedQuery, FeedService } from '../recommend/feed.js';

/**
 * Live feeds over server-sent events (issue 3: "the storefront feed updates
 * live"). A subscriber is one open stream with its feed query; when events
 * of that shopper are committed, their feeds are recomputed (coalesced over
 * `debounceMs`, so a burst of clicks costs one recompute) and pushed as
 * `event: feed`. Ingest to push stays far under the 1 s.
 */
export interface Subscriber {
  query: FeedQuery;
  /** Writes one SSE message. */
  send(event: string, data: unknown): void;
}

export class FeedHub {
  private readonly subs = new Map<string, Set<Subscriber>>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly feeds: FeedService,
    private readonly log: Logger,
    private readonly debounceMs = 20,
  ) {}

  /** Registers a stream and pushes its first feed at once; returns the unsubscribe function. */
  subscribe(sub: Subscriber): () => void {
    const id = sub.query.shopperId;
    let set = this.subs.get(id);
    if (set === undefined) {
      set = new Set();
      this.subs.set(id, set);
    }
    set.add(sub);
    this.push(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0) this.subs.delete(id);
    };
  }

  get size(): number {
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }

  /** Marks shoppers whose events just changed; their streams get a new feed shortly. */
  notify(shopperIds: Iterable<string>): void {
    for (const id of shopperIds) if (this.subs.has(id)) this.dirty.add(id);
    if (this.dirty.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.debounceMs);
      this.timer.unref();
    }
  }

  private flush(): void {
    this.timer = undefined;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) for (const sub of this.subs.get(id) ?? []) this.push(sub);
  }

  private push(sub: Subscriber): void {
    try {
      sub.send('feed', this.feeds.feed(sub.query));
    } catch (e) {
      const err = toHttpError(e);
      this.log.warn({ code: err.code, shopperId: sub.query.shopperId }, 'live feed failed');
      sub.send('error', errorBody(err));
    }
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.subs.clear();
  }
}
