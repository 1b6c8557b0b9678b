import { DEFAULT_EVENT_WEIGHTS } from '../data/interactions.js';
import { EVENT_TYPES, type EventType, type ShopEvent } from '../data/schema.js';
import type { Store } from '../store/store.js';
import type { ServeReader } from './store-io/thread-reader.js';

/**
 * What the request path knows about a shopper, cached in memory (an LRU of
 * a few thousand shoppers): the interaction strength per product from every
 * stored event (for the fold-in, issue 3: "ALS fold-in plus session-aware
 * re-ranking"), and the events that arrived through this server lately, with
 * the time they arrived (the session). State is by product id, not model
 * index, so it survives a model swap. Ingested events update it right after
 * they are committed, so the next request sees them.
 */
export interface ShopperState {
  shopperId: string;
  /** The store has a row or events for this shopper. */
  known: boolean;
  /** Σ event weight per product (DEFAULT_EVENT_WEIGHTS: view 1, click 2, cart 4, purchase 8). */
  strength: Map<string, number>;
  /** Events received by this server, oldest first, at most `maxRecent`; ts is the time of arrival. */
  recent: { itemId: string; type: EventType; ts: number }[];
  /** Bumped on every change; lets callers see that a feed is stale. */
  version: number;
}

/** A cache entry: `strength` and `known` are read from the store on first use. */
interface Entry extends ShopperState {
  loaded: boolean;
  /** Commits of this shopper's events under way (between hold and release). */
  writing: number;
}

export class ShopperStates {
  private readonly states = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 20_000,
    private readonly maxRecent = 50,
    private readonly reader?: ServeReader,
  ) {}

  /**
   * Reads a shopper's stored interactions off the server thread when they
   * are not in memory yet, so the get() that follows finds them (a no-op
   * without a reader). A read that may have missed, or counted, an event
   * being committed meanwhile is dropped, and get() reads on this thread.
   */
  async prefetch(shopperId: string): Promise<void> {
    if (this.reader === undefined || this.states.get(shopperId)?.loaded === true) return;
    const s = this.entry(shopperId);
    if (s.writing > 0) return;
    const version = s.version;
    const r = await this.reader.interactionsOf(shopperId);
    if (r === undefined || s.loaded || s.writing > 0 || s.version !== version || this.states.get(shopperId) !== s) return;
    this.fill(s, r.itemIds, r.types, r.known);
  }

  /** Marks these shoppers' events as being committed (EventIngest, before the write; release after record). */
  hold(shopperIds: Iterable<string>): void {
    for (const id of shopperIds) {
      const s = this.entry(id);
      s.writing++;
      s.version++;
    }
  }

  release(shopperIds: Iterable<string>): void {
    for (const id of shopperIds) {
      const s = this.states.get(id);
      if (s !== undefined && s.writing > 0) s.writing--;
    }
  }

  /** The state of a shopper, read from the store on first use. */
  get(shopperId: string): ShopperState {
    const s = this.entry(shopperId);
    if (!s.loaded) this.load(s);
    return s;
  }

  private entry(shopperId: string): Entry {
    let s = this.states.get(shopperId);
    if (s !== undefined) {
      // LRU: move to the end.
      this.states.delete(shopperId);
      this.states.set(shopperId, s);
      return s;
    }
    s = { shopperId, known: false, strength: new Map(), recent: [], version: 0, loaded: false, writing: 0 };
    this.states.set(shopperId, s);
    if (this.states.size > this.maxEntries) this.states.delete(this.states.keys().next().value!);
    return s;
  }

  private load(s: Entry): void {
    const { itemIds, types } = this.store.interactionsOf(s.shopperId);
    this.fill(s, itemIds, types, itemIds.length > 0 || this.store.getShopper(s.shopperId) !== undefined);
  }

  private fill(s: Entry, itemIds: readonly string[], types: readonly number[], known: boolean): void {
    s.strength.clear();
    for (let k = 0; k < itemIds.length; k++) {
      const id = itemIds[k]!;
      s.strength.set(id, (s.strength.get(id) ?? 0) + DEFAULT_EVENT_WEIGHTS[EVENT_TYPES[types[k]!]!]);
    }
    s.known = known;
    s.loaded = true;
  }

  /**
   * Applies events that were just committed: the session list always, the
   * strengths only for shoppers already loaded (the others read them, these
   * events included, from the store on first use).
   */
  record(events: readonly ShopEvent[], receivedAt: number): Set<string> {
    const touched = new Set<string>();
    for (const e of events) {
      const s = this.entry(e.shopperId);
      touched.add(e.shopperId);
      if (s.loaded) {
        s.known = true;
        s.strength.set(e.itemId, (s.strength.get(e.itemId) ?? 0) + DEFAULT_EVENT_WEIGHTS[e.type]);
      }
      s.recent.push({ itemId: e.itemId, type: e.type, ts: receivedAt });
      if (s.recent.length > this.maxRecent) s.recent.splice(0, s.recent.length - this.maxRecent);
      s.version++;
    }
    return touched;
  }

  /** Makes these shoppers re-read their strengths from the store on next use (their session list stays). */
  invalidate(shopperIds: Iterable<string>): void {
    for (const id of shopperIds) {
      const s = this.states.get(id);
      if (s !== undefined) {
        s.loaded = false;
        s.version++;
      }
    }
  }

  /** Forgets cached shoppers (e.g. after a bulk import). */
  clear(): void {
    this.states.clear();
  }
}
