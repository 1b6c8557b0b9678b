import type Database from 'better-sqlite3';
import { eventTypeCode } from '../data/dataset.js';
import type { ImportBatch, Item, Shopper, ShopEvent } from '../data/schema.js';
import { finiteOrNull, itemParams, shopperParams } from './sqlite-rows.js';
import type { ImportResult } from './store.js';

/**
 * The write path of the SQLite store: prepared statements for upserts and
 * event inserts. Callers run these inside one transaction (sqlite.ts), so a
 * failure anywhere rolls the whole batch back.
 */

const CHANGED = (cols: string[], table: string): string => cols.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');

const ITEM_UPSERT = `
  INSERT INTO items (id, known, title, category, attributes, caption, price, image, created_at)
  VALUES (@id, 1, @title, @category, @attributes, @caption, @price, @image, @createdAt)
  ON CONFLICT (id) DO UPDATE SET known = 1, title = excluded.title, category = excluded.category,
    attributes = excluded.attributes, caption = excluded.caption, price = excluded.price,
    image = excluded.image, created_at = excluded.created_at
  WHERE items.known = 0 OR ${CHANGED(['title', 'category', 'attributes', 'caption', 'price', 'image', 'created_at'], 'items')}`;

const SHOPPER_UPSERT = `
  INSERT INTO shoppers (id, known, attributes, created_at) VALUES (@id, 1, @attributes, @createdAt)
  ON CONFLICT (id) DO UPDATE SET known = 1, attributes = excluded.attributes, created_at = excluded.created_at
  WHERE shoppers.known = 0 OR ${CHANGED(['attributes', 'created_at'], 'shoppers')}`;

export class StoreWriter {
  private readonly upsertItem;
  private readonly upsertShopper;
  private readonly itemPk;
  private readonly shopperPk;
  private readonly itemPlaceholder;
  private readonly shopperPlaceholder;
  private readonly insertEvent;
  private readonly countKnown;
  private readonly insertImport;

  constructor(db: Database.Database) {
    this.upsertItem = db.prepare(ITEM_UPSERT);
    this.upsertShopper = db.prepare(SHOPPER_UPSERT);
    this.itemPk = db.prepare('SELECT pk FROM items WHERE id = ?').pluck();
    this.shopperPk = db.prepare('SELECT pk FROM shoppers WHERE id = ?').pluck();
    this.itemPlaceholder = db.prepare("INSERT INTO items (id, known, title, category) VALUES (?, 0, ?, '')");
    this.shopperPlaceholder = db.prepare('INSERT INTO shoppers (id, known) VALUES (?, 0)');
    this.insertEvent = db.prepare(`
      INSERT INTO events (key, shopper, item, type, ts, value, price, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (key) DO NOTHING`);
    this.countKnown = {
      items: db.prepare('SELECT count(*) FROM items WHERE known = 1').pluck(),
      shoppers: db.prepare('SELECT count(*) FROM shoppers WHERE known = 1').pluck(),
    };
    this.insertImport = db.prepare(`
      INSERT INTO imports (source, format, started_at, finished_at, report, result) VALUES (?, ?, ?, ?, ?, ?)`);
  }

  /** Writes items, shoppers, events and the imports row. Run inside a transaction. */
  writeBatch(batch: ImportBatch, startedAt: string): ImportResult {
    const items = this.upsert(batch.items, this.countKnown.items, (it: Item) => this.upsertItem.run(itemParams(it)).changes);
    const shoppers = this.upsert(batch.shoppers, this.countKnown.shoppers, (s: Shopper) => this.upsertShopper.run(shopperParams(s)).changes);
    const events = this.writeEvents(batch.events);
    const result: ImportResult = {
      itemsAdded: items.added,
      itemsUpdated: items.updated,
      shoppersAdded: shoppers.added,
      shoppersUpdated: shoppers.updated,
      eventsAdded: events.added,
      eventsSkipped: events.skipped,
    };
    const r = batch.report;
    this.insertImport.run(r.source, r.format, startedAt, new Date().toISOString(), JSON.stringify(r), JSON.stringify(result));
    return result;
  }

  /** Upserts records; "added" are ids that had no catalog row before (new, or a placeholder filled in). */
  private upsert<T>(records: readonly T[], countKnown: Database.Statement, run: (r: T) => number): { added: number; updated: number } {
    if (records.length === 0) return { added: 0, updated: 0 };
    const before = countKnown.get() as number;
    let changed = 0;
    for (const r of records) changed += run(r);
    const added = (countKnown.get() as number) - before;
    return { added, updated: changed - added };
  }

  /** Inserts events whose key is new; ids only named by events get placeholder rows. */
  writeEvents(events: readonly ShopEvent[]): { added: number; skipped: number } {
    const items = new Map<string, number>();
    const shoppers = new Map<string, number>();
    let added = 0;
    for (const e of events) {
      const shopper = this.pkOf(shoppers, e.shopperId, this.shopperPk, () => this.shopperPlaceholder.run(e.shopperId));
      const item = this.pkOf(items, e.itemId, this.itemPk, () => this.itemPlaceholder.run(e.itemId, e.itemId));
      const type = eventTypeCode(e.type);
      added += this.insertEvent.run(e.key, shopper, item, type, e.ts, e.value, finiteOrNull(e.price), e.sessionId ?? null).changes;
    }
    return { added, skipped: events.length - added };
  }

  private pkOf(cache: Map<string, number>, id: string, select: Database.Statement, insert: () => Database.RunResult): number {
    let pk = cache.get(id);
    if (pk === undefined) {
      pk = (select.get(id) as number | undefined) ?? Number(insert().lastInsertRowid);
      cache.set(id, pk);
    }
    return pk;
  }
}
