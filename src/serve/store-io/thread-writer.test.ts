import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { emptyReport, type ShopEvent } from '../../data/schema.js';
import { openStore } from '../../store/index.js';
import type { JobRecord, Store } from '../../store/store.js';
import { ThreadWriter } from './thread-writer.js';

/**
 * The serving writes' thread: events, impressions and job records are
 * committed by its own connection, in order, and read back by the server's;
 * a failing group fails alone; the server's own writes through it are not
 * mistaken for another process's; and when the thread dies, what it had
 * not answered is written on the server thread.
 */
let dir: string;
let store: Store;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-writer-'));
  store = openStore(join(dir, 'vitrine.db'), { autoCheckpoint: false });
  const items = ['a', 'b', 'c'].map((id) => ({ id, title: id, category: 'x', attributes: {}, caption: '', price: 10, image: null, createdAt: null }));
  store.importBatch({ items, shoppers: [], events: [], report: emptyReport('test', 'test') });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (key: string, itemId = 'a', type: ShopEvent['type'] = 'view'): ShopEvent => ({ key, shopperId: 'w1', itemId, type, ts: 1, value: 1, price: null, sessionId: null });
const job = (id: string, status: JobRecord['status']): JobRecord => ({ id, kind: 'train', status, params: {}, progress: null, result: null, error: null, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null });
const until = async (f: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('ThreadWriter', () => {
  it('commits events, impressions and jobs in its thread, a bad group failing alone', async () => {
    const w = new ThreadWriter(store, silentLogger, 20).start();
    try {
      expect(w.threaded).toBe(true);
      const before = store.counts().events;
      const results = await w.addEventGroups([[ev('t1'), ev('t2', 'b')], [ev('t3', 'b', 'bogus' as ShopEvent['type'])], [ev('t1'), ev('t4', 'c')]]);
      expect(results[0]).toEqual({ added: 2, skipped: 0 });
      expect(results[1]).toBeInstanceOf(Error);
      expect(results[2]).toEqual({ added: 1, skipped: 1 });
      expect(store.counts().events).toBe(before + 3);
      expect(store.countEventKeys(['t1', 't2', 't3', 't4'])).toBe(3);

      const shown = await w.logImpressions({ exposures: [], rows: [{ slateId: 'sl1', shopperId: 'w1', itemIds: ['a', 'b'], explored: [], variant: 'als', experimentId: null, ts: Date.now() }], clicks: ['a'] });
      expect(shown).toEqual({ exposed: true, logged: true, error: null });
      expect(store.itemFeedback(60_000).filter((f) => f.itemId === 'a' || f.itemId === 'b').map((f) => f.impressions)).toEqual([1, 1]);

      await Promise.all([w.putJob(job('j1', 'queued')), w.putJob(job('j1', 'running')), w.putJob(job('j1', 'succeeded'))]);
      expect(store.getJob('j1')?.status).toBe('succeeded');
      expect(w.writes).toBe(5);
    } finally {
      await w.close();
    }
  });

  it('tells another process\'s commits from its own', async () => {
    const w = new ThreadWriter(store, silentLogger, 20).start();
    try {
      const v0 = w.externalVersion();
      await w.addEventGroups([[ev('own-1')]]);
      await new Promise((r) => setTimeout(r, 150));
      expect(w.externalVersion()).toBe(v0);
      const other = openStore(join(dir, 'vitrine.db'));
      other.addEvents([ev('other-1')]);
      other.close();
      await until(() => w.externalVersion() !== v0);
      expect(w.externalVersion()).not.toBe(v0);
    } finally {
      await w.close();
    }
  });

  it('writes on the server thread after its thread dies, losing nothing it was asked', async () => {
    const w = new ThreadWriter(store, silentLogger, 20).start();
    try {
      const worker = (w as unknown as { worker: { terminate(): Promise<number> } }).worker;
      const inFlight = w.addEventGroups([[ev('d1')], [ev('d2', 'b')]]);
      void worker.terminate();
      const later = w.addEventGroups([[ev('d3', 'c')]]);
      const [a, b] = await Promise.all([inFlight, later]);
      // Written by the thread before it died (then replayed: skipped) or by the server thread: either way stored once.
      expect(a.map((r) => (r instanceof Error ? -1 : r.added + r.skipped))).toEqual([1, 1]);
      expect(b).toEqual([{ added: 1, skipped: 0 }]);
      await until(() => !w.threaded);
      expect(w.threaded).toBe(false);
      expect(store.countEventKeys(['d1', 'd2', 'd3'])).toBe(3);
      await w.putJob(job('j2', 'queued'));
      expect(store.getJob('j2')?.status).toBe('queued');
    } finally {
      await w.close();
    }
  });
});
