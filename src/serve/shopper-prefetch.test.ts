import { afterEach, describe, expect, it } from 'vitest';
import { emptyReport, type ShopEvent } from '../data/schema.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { ShopperStates } from './shopper-state.js';
import type { ServeReader, StoredInteractions } from './store-io/thread-reader.js';

/**
 * A shopper's first request reads their history through the reader (off the
 * event loop), and the state equals the one read on the spot; a read that
 * overlaps the commit of that shopper's events is dropped, so no event is
 * missed or counted twice.
 */
let store: Store;
afterEach(() => store.close());

const ev = (key: string, itemId: string, type: ShopEvent['type']): ShopEvent => ({ key, shopperId: 'w1', itemId, type, ts: 1, value: 1, price: null, sessionId: null });

function shop(): { reads: { n: number } } {
  store = openSqliteStore(':memory:');
  const items = ['a', 'b', 'c'].map((id) => ({ id, title: id, category: 'x', attributes: {}, caption: '', price: 10, image: null, createdAt: null }));
  store.importBatch({ items, shoppers: [], events: [ev('e1', 'a', 'view'), ev('e2', 'b', 'purchase')], report: emptyReport('test', 'test') });
  const reads = { n: 0 };
  const inner = store.interactionsOf.bind(store);
  store.interactionsOf = (id: string) => (reads.n++, inner(id));
  return { reads };
}

/** A reader whose answers wait until `release()`; it reads the store when asked, as the thread does. */
function heldReader(): ServeReader & { release(): void } {
  const waiting: (() => void)[] = [];
  return {
    interactionsOf: (id) => {
      const { itemIds, types } = store.interactionsOf(id);
      const r: StoredInteractions = { itemIds, types, known: itemIds.length > 0 };
      return new Promise((resolve) => waiting.push(() => resolve(r)));
    },
    release: () => {
      while (waiting.length > 0) waiting.shift()!();
    },
    reads: 0,
    threaded: true,
    close: () => Promise.resolve(),
  };
}

describe('ShopperStates.prefetch', () => {
  it('fills the state from the reader, so get() reads nothing on this thread, equal to reading it here', async () => {
    const { reads } = shop();
    const reader = heldReader();
    const states = new ShopperStates(store, 100, 50, reader);
    const p = states.prefetch('w1');
    reader.release();
    await p;
    const readsByReader = reads.n;
    const s = states.get('w1');
    expect(reads.n).toBe(readsByReader);
    const here = new ShopperStates(store).get('w1');
    expect([...s.strength]).toEqual([...here.strength]);
    expect(s.known).toBe(true);
  });

  it('drops a read that overlaps a commit of the shopper\'s events (no event missed or counted twice)', async () => {
    const { reads } = shop();
    const reader = heldReader();
    const states = new ShopperStates(store, 100, 50, reader);
    // The read starts before the commit and sees it (the reader reads at release time here: worst case for double counting).
    const p = states.prefetch('w1');
    states.hold(['w1']);
    store.addEvents([ev('e3', 'c', 'cart')]);
    reader.release();
    await p;
    states.record([ev('e3', 'c', 'cart')], 2);
    states.release(['w1']);
    const before = reads.n;
    const s = states.get('w1');
    expect(reads.n).toBe(before + 1);
    expect(Object.fromEntries(s.strength)).toEqual({ a: 1, b: 8, c: 4 });
    // A prefetch while a commit is under way does not read at all.
    states.invalidate(['w1']);
    states.hold(['w1']);
    await states.prefetch('w1');
    expect(reads.n).toBe(before + 1);
  });
});
