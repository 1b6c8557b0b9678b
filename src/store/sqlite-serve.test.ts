import { describe, expect, it } from 'vitest';
import { emptyReport, type ShopEvent } from '../data/schema.js';
import { openSqliteStore } from './sqlite.js';
import type { JobRecord, SlateImpression } from './serving-types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

function shop() {
  const store = openSqliteStore(':memory:');
  store.importBatch({
    items: ['i1', 'i2', 'i3'].map((id) => ({ id, title: id, category: 'c', attributes: {}, caption: '', price: 10, image: null, createdAt: null })),
    shoppers: ['s1', 's2'].map((id) => ({ id, attributes: {}, createdAt: null })),
    events: [],
    report: emptyReport('test', 'test'),
  });
  return store;
}

const imp = (shopperId: string, itemIds: string[], ts: number, variant = 'a', experimentId: string | null = null): SlateImpression => ({
  slateId: `sl-${shopperId}-${ts}`,
  shopperId,
  itemIds,
  explored: [],
  variant,
  experimentId,
  ts,
});

const ev = (key: string, shopperId: string, itemId: string, type: ShopEvent['type'], ts: number, price: number | null = null, sessionId: string | null = null): ShopEvent => ({
  key,
  shopperId,
  itemId,
  type,
  ts,
  value: 1,
  price,
  sessionId,
});

describe('serving tables', () => {
  it('stores hashed keys, lists them without hashes, revokes', () => {
    const store = shop();
    store.addApiKey({ id: 'k1', hash: 'ab'.repeat(32), role: 'admin', label: 'ops', createdAt: '2026-01-01T00:00:00Z', revokedAt: null });
    expect(store.getApiKey('k1')?.hash).toBe('ab'.repeat(32));
    expect(store.listApiKeys()).toEqual([{ id: 'k1', role: 'admin', label: 'ops', createdAt: '2026-01-01T00:00:00Z', revokedAt: null }]);
    expect(store.revokeApiKey('k1', '2026-01-02T00:00:00Z')).toBe(true);
    expect(store.getApiKey('k1')?.revokedAt).toBe('2026-01-02T00:00:00Z');
    expect(store.revokeApiKey('nope', 'x')).toBe(false);
    expect(() => store.addApiKey({ id: 'k2', hash: 'x', role: 'root' as never, label: '', createdAt: 'x', revokedAt: null })).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });

  it('counts impressions, attributed clicks, orders and revenue by day and variant', () => {
    const store = shop();
    store.logImpressions([imp('s1', ['i1', 'i2'], T0), imp('s2', ['i1'], T0 + 1000, 'b'), imp('s1', ['i3'], T0 + DAY)]);
    store.addEvents([
      ev('c1', 's1', 'i1', 'click', T0 + 5000),
      ev('c2', 's1', 'i3', 'click', T0 + 5000), // i3 not shown yet on day 0: not attributed
      ev('c3', 's2', 'i1', 'click', T0 + 3 * 3_600_000), // outside a 1 h window
      ev('p1', 's1', 'i1', 'purchase', T0 + 9000, 30, 'sess1'),
      ev('p2', 's1', 'i2', 'purchase', T0 + 9500, 20, 'sess1'),
      ev('p3', 's1', 'i3', 'purchase', T0 + DAY + 10, 5, 'sess2'),
    ]);
    const rows = store.businessCounts({ from: T0, to: T0 + 2 * DAY, attributionWindowMs: 3_600_000, byDay: true });
    expect(rows).toEqual([
      { day: '2026-01-05', variant: 'a', impressions: 2, clicks: 1, shoppers: 1, buyers: 1, orders: 1, revenue: 50, orderValueSumSq: 2500, shopperRevenueSumSq: 2500 },
      { day: '2026-01-05', variant: 'b', impressions: 1, clicks: 0, shoppers: 1, buyers: 0, orders: 0, revenue: 0, orderValueSumSq: 0, shopperRevenueSumSq: 0 },
      { day: '2026-01-06', variant: 'a', impressions: 1, clicks: 0, shoppers: 1, buyers: 1, orders: 1, revenue: 5, orderValueSumSq: 25, shopperRevenueSumSq: 25 },
    ]);
    const all = store.businessCounts({ from: T0, to: T0 + 2 * DAY, attributionWindowMs: 3_600_000, byDay: false });
    expect(all.find((r) => r.variant === 'a')).toMatchObject({ day: 'all', impressions: 3, shoppers: 1, orders: 2, revenue: 55, shopperRevenueSumSq: 55 * 55 });
    expect(store.itemFeedback(3_600_000)).toEqual([
      { itemId: 'i1', impressions: 2, clicks: 1 },
      { itemId: 'i2', impressions: 1, clicks: 0 },
      { itemId: 'i3', impressions: 1, clicks: 0 },
    ]);
    // From now on the figures come from the aggregate the flushes keep (a server start reads one row per product).
    store.logImpressions([imp('s2', ['i2', 'i4'], T0 + 2 * DAY)], ['i2', 'i2']);
    store.addEvents([ev('c4', 's2', 'i2', 'click', T0 + 2 * DAY + 10)]); // a stored click the service did not attribute: not counted
    expect(store.itemFeedback(3_600_000)).toEqual([
      { itemId: 'i1', impressions: 2, clicks: 1 },
      { itemId: 'i2', impressions: 2, clicks: 2 },
      { itemId: 'i3', impressions: 1, clicks: 0 },
      { itemId: 'i4', impressions: 1, clicks: 0 },
    ]);
  });

  it('keeps experiments, first exposures only, and jobs', () => {
    const store = shop();
    store.putExperiment({ id: 'x', name: 'test', status: 'running', variants: [{ name: 'a', weight: 1, config: { model: 'als' } }], createdAt: '2026-01-01', stoppedAt: null });
    store.logExposures([
      { experimentId: 'x', shopperId: 's1', variant: 'a', ts: 1 },
      { experimentId: 'x', shopperId: 's1', variant: 'b', ts: 2 },
    ]);
    store.putExperiment({ ...store.getExperiment('x')!, status: 'stopped', stoppedAt: '2026-01-02' });
    expect(store.listExperiments()).toHaveLength(1);
    expect(store.getExperiment('x')?.status).toBe('stopped');
    const job: JobRecord = { id: 'j1', kind: 'train', status: 'queued', params: { model: 'als' }, progress: null, result: null, error: null, createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null };
    store.putJob(job);
    store.putJob({ ...job, status: 'succeeded', progress: { phase: 'fit', done: 3, total: 3 }, result: { name: 'als' }, finishedAt: '2026-01-01T00:01:00Z' });
    expect(store.getJob('j1')).toMatchObject({ status: 'succeeded', progress: { done: 3 }, result: { name: 'als' } });
    expect(store.listJobs()).toHaveLength(1);
  });

  it('counts stored event keys', () => {
    const store = shop();
    store.addEvents([ev('e1', 's1', 'i1', 'view', T0), ev('e2', 's1', 'i2', 'view', T0)]);
    expect(store.countEventKeys(['e1', 'e2', 'e3'])).toBe(2);
    const r = store.interactionsOf('s1');
    expect(r.itemIds.map((id, k) => `${id}:${r.types[k]}`).sort()).toEqual(['i1:0', 'i2:0']);
    expect(store.interactionsOf('nobody')).toEqual({ itemIds: [], types: [] });
  });

  it('commits groups of events together with per-group counts, all or nothing', () => {
    const store = shop();
    expect(store.addEventGroups([[ev('a', 's1', 'i1', 'view', T0)], [ev('a', 's1', 'i1', 'view', T0), ev('b', 's2', 'i2', 'click', T0)]])).toEqual([
      { added: 1, skipped: 0 },
      { added: 1, skipped: 1 },
    ]);
    const bad = { ...ev('c', 's1', 'i1', 'view', T0), type: 'teleport' as never };
    expect(() => store.addEventGroups([[ev('d', 's1', 'i1', 'view', T0)], [bad]])).toThrow();
    expect(store.countEventKeys(['a', 'b', 'd'])).toBe(2);
  });
});
