import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { datasetFromBatch } from '../data/dataset.js';
import { tmpDir } from '../data/importers/test-utils/fixtures.js';
import { emptyReport, type ImportBatch, type Item, type ShopEvent } from '../data/schema.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from './migrations.js';
import { eventOrder, eventOrderReference } from './sqlite-load.js';
import { openSqliteStore } from './sqlite.js';


function item(id: string, category = 'dress', extra: Partial<Item> = {}): Item {
  return { id, title: `Item ${id}`, category, attributes: { colour: 'red', size: 2 }, caption: `about ${id}`, price: 10, image: `/img/${id}.png`, createdAt: 1000, ...extra };
}

function event(key: string, shopperId: string, itemId: string, ts: number, extra: Partial<ShopEvent> = {}): ShopEvent {
  return { key, shopperId, itemId, type: 'view', ts, value: 1, price: null, sessionId: null, ...extra };
}

/** Items i1..i3, shoppers s1 and s2, and events that also name an item (x9) and a shopper (s3) with no record. */
function batch(): ImportBatch {
  return {
    items: [item('i1'), item('i2', 'shoe'), item('i3')],
    shoppers: [{ id: 's1', attributes: { ageBand: '25-34' }, createdAt: null }, { id: 's2', attributes: {}, createdAt: 5 }],
    events: [
      event('e1', 's2', 'i2', 300, { type: 'purchase', price: 9.5, sessionId: 'x' }),
      event('e2', 's1', 'i1', 100),
      event('e3', 's1', 'x9', 100, { type: 'rating', value: 4 }),
      event('e4', 's3', 'i3', 200),
      event('e5', 's1', 'i2', 100),
    ],
    report: { ...emptyReport('test', 'world'), events: 5 },
  };
}

describe('openSqliteStore', () => {
  it('creates parent folders, runs WAL with foreign keys, and migrates once', () => {
    const path = join(tmpDir(), 'deep/er/vitrine.db');
    const store = openSqliteStore(path);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    const reopened = openSqliteStore(path);
    expect(reopened.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    reopened.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    raw.close();
  });

  it('applies a new migration once and refuses a store newer than it knows', () => {
    const db = new Database(':memory:');
    const next = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }];
    expect(migrate(db, MIGRATIONS)).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db, next)).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(migrate(db, next)).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(() => migrate(db, MIGRATIONS)).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
  });

  it('gives a clear error for a file that is not a SQLite database', () => {
    const path = join(tmpDir(), 'notes.db');
    writeFileSync(path, 'this is a text file, not a database, and it is long enough to have a header'.repeat(20));
    expect(() => openSqliteStore(path)).toThrow(expect.objectContaining({ code: 'STORE_ERROR', message: expect.stringContaining('not a SQLite database') }));
  });

  it('read-only: a missing file is FILE_NOT_FOUND, writing is STORE_ERROR', () => {
    const path = join(tmpDir(), 'v.db');
    expect(() => openSqliteStore(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    openSqliteStore(path).close();
    const ro = openSqliteStore(path, { readonly: true });
    expect(ro.counts()).toEqual({ items: 0, shoppers: 0, events: 0 });
    expect(() => ro.setMeta('a', 'b')).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
    ro.close();
  });
});

describe('SqliteStore', () => {
  it('imports a batch, and re-importing it adds nothing', () => {
    const store = openSqliteStore(':memory:');
    expect(store.importBatch(batch())).toEqual({ itemsAdded: 3, itemsUpdated: 0, shoppersAdded: 2, shoppersUpdated: 0, eventsAdded: 5, eventsSkipped: 0 });
    // i1..i3 plus placeholder x9; s1, s2 plus placeholder s3.
    expect(store.counts()).toEqual({ items: 4, shoppers: 3, events: 5 });
    expect(store.importBatch(batch())).toEqual({ itemsAdded: 0, itemsUpdated: 0, shoppersAdded: 0, shoppersUpdated: 0, eventsAdded: 0, eventsSkipped: 5 });
    expect(store.counts()).toEqual({ items: 4, shoppers: 3, events: 5 });
    const changed = { ...batch(), items: [item('i1', 'dress', { title: 'Renamed' }), item('x9', 'hat')], events: [] };
    expect(store.importBatch(changed)).toMatchObject({ itemsAdded: 1, itemsUpdated: 1 });
    expect(store.getItem('i1')!.title).toBe('Renamed');
    expect(store.imports().map((r) => r.result.eventsAdded)).toEqual([5, 0, 0]);
    expect(store.imports()[0]).toMatchObject({ id: 1, source: 'test', format: 'world', report: { events: 5 } });
  });

  it('rolls back the whole import when it fails midway', () => {
    const store = openSqliteStore(':memory:');
    store.importBatch({ ...batch(), events: batch().events.slice(0, 1) });
    const before = store.counts();
    const broken = batch();
    broken.events.splice(3, 0, event('bad', 's1', 'i1', 50, { type: 'bogus' as ShopEvent['type'] }));
    expect(() => store.importBatch(broken)).toThrow(expect.objectContaining({ code: 'STORE_ERROR' }));
    const noTitle = { ...batch(), items: [item('new1'), { ...item('new2'), title: undefined as unknown as string }] };
    expect(() => store.importBatch(noTitle)).toThrow(expect.objectContaining({ code: 'STORE_ERROR', message: expect.stringContaining('NOT NULL') }));
    expect(store.counts()).toEqual(before);
    expect(store.getItem('new1')).toBeUndefined();
    expect(store.imports()).toHaveLength(1);
  });

  it('loads the same Dataset that buildDataset makes from the batch', () => {
    const store = openSqliteStore(':memory:');
    const b = batch();
    store.importBatch(b);
    const got = store.loadDataset('shop');
    const want = datasetFromBatch('shop', b);
    expect(got.items.toArray()).toEqual(want.items.toArray());
    expect(got.users.toArray()).toEqual(want.users.toArray());
    expect(got.itemInfo).toEqual(want.itemInfo);
    expect(got.shopperInfo).toEqual(want.shopperInfo);
    expect(got.events).toEqual(want.events);
    expect(Array.from(got.events.ts)).toEqual([100, 100, 100, 200, 300]);
  });

  it('adds live events, creating placeholder shoppers, and lists a shopper\'s events oldest first', () => {
    const store = openSqliteStore(':memory:');
    store.importBatch(batch());
    expect(store.addEvents([event('e6', 'new', 'i1', 50), event('e1', 's2', 'i2', 300)])).toEqual({ added: 1, skipped: 1 });
    expect(store.eventsOf('new')).toEqual([event('e6', 'new', 'i1', 50)]);
    expect(store.eventsOf('s1').map((e) => e.key)).toEqual(['e2', 'e3', 'e5']);
    expect(store.eventsOf('s2')[0]).toEqual(batch().events[0]);
    expect(store.eventsOf('nobody')).toEqual([]);
    expect(store.getShopper('new')).toBeUndefined();
  });

  it('gets and lists items with pagination and a category filter; keeps meta', () => {
    const store = openSqliteStore(':memory:');
    store.importBatch(batch());
    expect(store.getItem('i2')).toEqual(item('i2', 'shoe'));
    expect(store.getItem('x9')).toBeUndefined();
    expect(store.listItems({ limit: 2 }).map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(store.listItems({ offset: 2 }).map((i) => i.id)).toEqual(['i3']);
    expect(store.listItems({ category: 'dress' }).map((i) => i.id)).toEqual(['i1', 'i3']);
    expect(store.listShoppers().map((s) => s.id)).toEqual(['s1', 's2']);
    expect(() => store.listItems({ limit: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(store.getMeta('world')).toBeUndefined();
    store.setMeta('world', '{"seed":7}');
    store.setMeta('world', '{"seed":8}');
    expect(store.getMeta('world')).toBe('{"seed":8}');
  });

  it('keeps data across reopen of a file store', () => {
    const path = join(tmpDir(), 'v.db');
    const a = openSqliteStore(path);
    a.importBatch(batch());
    a.close();
    const b = openSqliteStore(path);
    expect(b.counts()).toEqual({ items: 4, shoppers: 3, events: 5 });
    expect(b.loadDataset().name).toBe('v');
    b.close();
  });
});

describe('eventOrder', () => {
  let s = 7;
  const rnd = (k: number): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % k);
  const check = (ts: Float64Array, n: number): void => {
    const user = Int32Array.from({ length: n }, () => rnd(30));
    const item = Int32Array.from({ length: n }, () => rnd(20));
    expect(Array.from(eventOrder(ts, user, item, 30, 20))).toEqual(Array.from(eventOrderReference(ts, user, item)));
  };

  it('agrees with the plain comparator sort, ties included', () => {
    const n = 5000;
    check(Float64Array.from({ length: n }, () => 1e12 + rnd(50) * 1000), n);
    // Times that need all three 16-bit digits.
    check(Float64Array.from({ length: n }, () => rnd(1000) * 2 ** 36 + rnd(70000)), n);
    // Fractional times take the comparator path.
    check(Float64Array.from({ length: n }, () => rnd(100) / 3), n);
    check(new Float64Array(0), 0);
  });
});
