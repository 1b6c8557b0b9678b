import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { emptyReport, type ShopEvent } from '../../data/schema.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { ThreadReader } from './thread-reader.js';

/** The reads' thread answers a shopper's stored interactions as the store does; after a failure it answers undefined (read it yourself). */
let dir: string;
let store: Store;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-reader-'));
  store = openStore(join(dir, 'vitrine.db'));
  const items = ['a', 'b'].map((id) => ({ id, title: id, category: 'x', attributes: {}, caption: '', price: 10, image: null, createdAt: null }));
  const ev = (key: string, itemId: string, type: ShopEvent['type']): ShopEvent => ({ key, shopperId: 'w1', itemId, type, ts: 1, value: 1, price: null, sessionId: null });
  store.importBatch({ items, shoppers: [{ id: 'quiet', attributes: {}, createdAt: null }], events: [ev('e1', 'a', 'view'), ev('e2', 'b', 'purchase'), ev('e3', 'a', 'click')], report: emptyReport('test', 'test') });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ThreadReader', () => {
  it('reads interactions in its thread, and answers undefined once the thread is gone', async () => {
    const r = new ThreadReader(store.path, silentLogger).start();
    try {
      const w1 = await r.interactionsOf('w1');
      const direct = store.interactionsOf('w1');
      expect(w1).toEqual({ itemIds: direct.itemIds, types: direct.types, known: true });
      expect(w1?.itemIds).toHaveLength(3);
      expect(await r.interactionsOf('quiet')).toEqual({ itemIds: [], types: [], known: true });
      expect(await r.interactionsOf('nobody')).toEqual({ itemIds: [], types: [], known: false });
      expect(r.reads).toBe(3);
      await (r as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      for (let i = 0; i < 50 && r.threaded; i++) await new Promise((res) => setTimeout(res, 20));
      expect(await r.interactionsOf('w1')).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});
