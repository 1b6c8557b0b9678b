import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { VitrineError, fail } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import { eventTypeName } from '../data/dataset.js';
import type { ImportBatch, Item, Shopper, ShopEvent } from '../data/schema.js';
import { LATEST_SCHEMA_VERSION, currentVersion, migrate } from './migrations.js';
import { loadSqliteDataset } from './sqlite-load.js';
import { ITEM_COLUMNS, SHOPPER_COLUMNS, itemFromRow, shopperFromRow, type ItemRow, type ShopperRow } from './sqlite-rows.js';
import { StoreWriter } from './sqlite-write.js';
import { businessCounts, itemFeedback } from './sqlite-analytics.js';
import { ServeTables } from './sqlite-serve.js';
import type { AnalyticsQuery, ApiKeyRecord, BusinessCountsRow, ExperimentRecord, ExposureRow, ItemFeedback, SlateImpression, JobRecord, StoredApiKey } from './serving-types.js';
import type { ImportRecord, ImportResult, ListItemsOptions, Store, StoreCounts } from './store.js';

/**
 * The default Store: one SQLite file through better-sqlite3 (synchronous),
 * in WAL mode so readers (the API) do not block the writer (imports, live
 * events). Every SQLite failure surfaces as VitrineError STORE_ERROR.
 */

export interface SqliteStoreOptions {
  /** Open without writing: no folder creation, no migrations (the store must be current). */
  readonly?: boolean;
  /**
   * Checkpoint the WAL automatically on commit (SQLite's default, true). A
   * server turns it off and calls checkpoint() from a background thread, so
   * no request waits for a checkpoint's copy and fsync.
   */
  autoCheckpoint?: boolean;
}

const MAX_PAGE = 10_000;

/** Maps a better-sqlite3 failure to a VitrineError naming the store file. */
function storeError(e: unknown, path: string, what: string): VitrineError {
  if (e instanceof VitrineError) return e;
  const code = (e as { code?: unknown }).code;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') {
    return new VitrineError('STORE_ERROR', `${path} is not a vitrine store (not a SQLite database)`, {
      hint: 'point --store at a .db file written by vitrine, or at a new path',
      cause: e,
    });
  }
  if (code === 'SQLITE_CANTOPEN') return new VitrineError('FILE_NOT_FOUND', `cannot open the store ${path} (${msg})`, { cause: e });
  return new VitrineError('STORE_ERROR', `store ${basename(path)}: ${what} failed: ${msg}`, { cause: e, details: { sqliteCode: code } });
}

class SqliteStore implements Store {
  private readonly writer: StoreWriter | undefined;
  private readonly serve: ServeTables;

  constructor(
    readonly path: string,
    private readonly db: Database.Database,
    readonly readonly: boolean,
  ) {
    this.writer = readonly ? undefined : new StoreWriter(db);
    this.serve = new ServeTables(db);
  }

  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(e, this.path, what);
    }
  }

  private write(): StoreWriter {
    if (this.writer === undefined) fail('STORE_ERROR', `the store ${this.path} is open read-only`);
    return this.writer;
  }

  schemaVersion(): number {
    return this.guard('schemaVersion', () => currentVersion(this.db));
  }

  importBatch(batch: ImportBatch): ImportResult {
    const startedAt = new Date().toISOString();
    return this.guard('import', () => {
      const writer = this.write();
      return this.db.transaction(() => writer.writeBatch(batch, startedAt))();
    });
  }

  addEvents(events: readonly ShopEvent[]): { added: number; skipped: number } {
    return this.guard('addEvents', () => {
      const writer = this.write();
      return this.db.transaction(() => writer.writeEvents(events))();
    });
  }

  dataVersion(): number {
    return this.guard('dataVersion', () => this.db.pragma('data_version', { simple: true }) as number);
  }

  /** Items and shoppers count every id, placeholders included (ids only events name), as loadDataset sees them. */
  counts(): StoreCounts {
    return this.guard('counts', () => {
      const count = (table: string): number => this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      return { items: count('items'), shoppers: count('shoppers'), events: count('events') };
    });
  }

  /** The catalog row of `id`; undefined for an unknown id or a placeholder (an id only events name). */
  getItem(id: string): Item | undefined {
    return this.guard('getItem', () => {
      const row = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ? AND known = 1`).raw().get(id);
      return row === undefined ? undefined : itemFromRow(row as ItemRow);
    });
  }

  getShopper(id: string): Shopper | undefined {
    return this.guard('getShopper', () => {
      const row = this.db.prepare(`SELECT ${SHOPPER_COLUMNS} FROM shoppers WHERE id = ? AND known = 1`).raw().get(id);
      return row === undefined ? undefined : shopperFromRow(row as ShopperRow);
    });
  }

  listItems(opts: ListItemsOptions = {}): Item[] {
    const { limit, offset } = page(opts);
    return this.guard('listItems', () => {
      const where = opts.category === undefined ? '' : 'AND category = @category';
      const sql = `SELECT ${ITEM_COLUMNS} FROM items WHERE known = 1 ${where} ORDER BY pk LIMIT @limit OFFSET @offset`;
      const params = opts.category === undefined ? { limit, offset } : { limit, offset, category: opts.category };
      return (this.db.prepare(sql).raw().all(params) as ItemRow[]).map(itemFromRow);
    });
  }

  listShoppers(opts: { offset?: number; limit?: number } = {}): Shopper[] {
    const { limit, offset } = page(opts);
    return this.guard('listShoppers', () => {
      const sql = `SELECT ${SHOPPER_COLUMNS} FROM shoppers WHERE known = 1 ORDER BY pk LIMIT ? OFFSET ?`;
      return (this.db.prepare(sql).raw().all(limit, offset) as ShopperRow[]).map(shopperFromRow);
    });
  }

  eventsOf(shopperId: string): ShopEvent[] {
    return this.guard('eventsOf', () => {
      const pk = this.db.prepare('SELECT pk FROM shoppers WHERE id = ?').pluck().get(shopperId);
      if (pk === undefined) return [];
      const sql = `SELECT e.key, i.id, e.type, e.ts, e.value, e.price, e.session FROM events e JOIN items i ON i.pk = e.item
        WHERE e.shopper = ? ORDER BY e.ts, e.pk`;
      const rows = this.db.prepare(sql).raw().all(pk) as [string, string, number, number, number, number | null, string | null][];
      return rows.map(([key, itemId, type, ts, value, price, sessionId]) => ({ key, shopperId, itemId, type: eventTypeName(type), ts, value, price, sessionId }));
    });
  }

  loadDataset(name = basename(this.path).replace(/\.(db|sqlite3?)$/, '')): Dataset {
    return this.guard('loadDataset', () => loadSqliteDataset(this.db, name));
  }

  imports(): ImportRecord[] {
    return this.guard('imports', () => {
      const rows = this.db.prepare('SELECT id, source, format, started_at, finished_at, report, result FROM imports ORDER BY id').raw().all() as [number, string, string, string, string, string, string][];
      return rows.map(([id, source, format, startedAt, finishedAt, report, result]) => ({ id, source, format, startedAt, finishedAt, report: JSON.parse(report), result: JSON.parse(result) }));
    });
  }

  getMeta(key: string): string | undefined {
    return this.guard('getMeta', () => this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined);
  }

  setMeta(key: string, value: string): void {
    this.guard('setMeta', () => {
      this.write();
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // The storefront service's tables (serving-types.ts, sqlite-serve.ts).

  addEventGroups(groups: readonly (readonly ShopEvent[])[]): { added: number; skipped: number }[] {
    return this.guard('addEventGroups', () => {
      const writer = this.write();
      return this.db.transaction(() => groups.map((g) => writer.writeEvents(g)))();
    });
  }

  addApiKey(key: StoredApiKey): void {
    this.guard('addApiKey', () => (this.write(), this.serve.addApiKey(key)));
  }

  getApiKey(id: string): StoredApiKey | undefined {
    return this.guard('getApiKey', () => this.serve.getApiKey(id));
  }

  listApiKeys(): ApiKeyRecord[] {
    return this.guard('listApiKeys', () => this.serve.listApiKeys());
  }

  revokeApiKey(id: string, at: string): boolean {
    return this.guard('revokeApiKey', () => (this.write(), this.serve.revokeApiKey(id, at)));
  }

  logImpressions(rows: readonly SlateImpression[], attributedClicks: readonly string[] = []): void {
    this.guard('logImpressions', () => {
      this.write();
      this.serve.logImpressions(rows, attributedClicks);
    });
  }

  logExposures(rows: readonly ExposureRow[]): void {
    this.guard('logExposures', () => (this.write(), this.serve.logExposures(rows)));
  }

  putExperiment(e: ExperimentRecord): void {
    this.guard('putExperiment', () => (this.write(), this.serve.putExperiment(e)));
  }

  getExperiment(id: string): ExperimentRecord | undefined {
    return this.guard('getExperiment', () => this.serve.getExperiment(id));
  }

  listExperiments(): ExperimentRecord[] {
    return this.guard('listExperiments', () => this.serve.listExperiments());
  }

  putJob(j: JobRecord): void {
    this.guard('putJob', () => (this.write(), this.serve.putJob(j)));
  }

  getJob(id: string): JobRecord | undefined {
    return this.guard('getJob', () => this.serve.getJob(id));
  }

  listJobs(limit = 100): JobRecord[] {
    return this.guard('listJobs', () => this.serve.listJobs(limit));
  }

  businessCounts(q: AnalyticsQuery): BusinessCountsRow[] {
    return this.guard('businessCounts', () => businessCounts(this.db, q));
  }

  itemFeedback(attributionWindowMs: number): ItemFeedback[] {
    return this.guard('itemFeedback', () => itemFeedback(this.db, attributionWindowMs, !this.readonly));
  }

  interactionsOf(shopperId: string): { itemIds: string[]; types: number[] } {
    return this.guard('interactionsOf', () => this.serve.interactionsOf(shopperId));
  }

  interactionsWith(itemId: string): { shopperIds: string[]; types: number[] } {
    return this.guard('interactionsWith', () => this.serve.interactionsWith(itemId));
  }

  countEventKeys(keys: readonly string[]): number {
    return this.guard('countEventKeys', () => this.serve.countEventKeys(keys));
  }

  checkpoint(): { walFrames: number; checkpointed: number } {
    return this.guard('checkpoint', () => {
      const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      return { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
    });
  }
}

function page(opts: { offset?: number; limit?: number }): { limit: number; offset: number } {
  const limit = opts.limit ?? 100;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE || !Number.isInteger(offset) || offset < 0) {
    fail('INVALID_ARGUMENT', `bad page: offset ${offset}, limit ${limit} (limit 0..${MAX_PAGE})`);
  }
  return { limit, offset };
}

/** Pragmas for a writer: WAL, NORMAL sync (durable at checkpoints, safe with WAL), foreign keys on. */
function configure(db: Database.Database, readonly: boolean, autoCheckpoint = true): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
  }
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
}

/**
 * Opens (creating it and its folder when needed) the SQLite store at `path`
 * and applies pending migrations. `:memory:` gives a private in-memory store.
 * STORE_ERROR when the file is not a SQLite database or is newer than this
 * vitrine; FILE_NOT_FOUND when a read-only store does not exist.
 */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Store {
  const readonly = opts.readonly === true;
  let db: Database.Database | undefined;
  try {
    if (!readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
    configure(db, readonly, opts.autoCheckpoint);
    const version = readonly ? currentVersion(db) : migrate(db);
    if (version !== LATEST_SCHEMA_VERSION) {
      fail('STORE_ERROR', `the store ${path} has schema version ${version}; this vitrine needs ${LATEST_SCHEMA_VERSION}`, {
        hint: 'open it once without --readonly to migrate it',
      });
    }
    return new SqliteStore(path, db, readonly);
  } catch (e) {
    db?.close();
    throw storeError(e, path, 'open');
  }
}
