import type Database from 'better-sqlite3';
import { fail } from '../core/errors.js';

/**
 * Ordered schema migrations of the SQLite store. Each runs once, in its own
 * transaction, and is recorded in `schema_migrations`; reopening a store
 * applies only what is missing. Never edit a released migration: add one.
 *
 * Layout choices (version 1):
 * - items and shoppers have an integer `pk` (the rowid) beside their string
 *   `id`; events refer to the pk, which keeps the event table small (H&M
 *   customer ids are 64 characters) and lets loadDataset read integers.
 * - `known = 0` marks a placeholder row for an id that events name but no
 *   catalog row described (e.g. MovieLens without u.item); it becomes known
 *   when a catalog row arrives. The foreign keys then always hold.
 * - `events.type` is the index into EVENT_TYPES (schema.ts), 0..4.
 * - attributes are JSON text; images are stored by reference (a path).
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'items, shoppers, events, imports, meta',
    sql: `
      CREATE TABLE items (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        known INTEGER NOT NULL DEFAULT 1 CHECK (known IN (0, 1)),
        title TEXT NOT NULL,
        category TEXT NOT NULL,
        attributes TEXT NOT NULL DEFAULT '{}',
        caption TEXT NOT NULL DEFAULT '',
        price REAL,
        image TEXT,
        created_at INTEGER
      );
      CREATE INDEX items_category ON items (category);
      CREATE TABLE shoppers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        known INTEGER NOT NULL DEFAULT 1 CHECK (known IN (0, 1)),
        attributes TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER
      );
      CREATE TABLE events (
        pk INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        shopper INTEGER NOT NULL REFERENCES shoppers (pk),
        item INTEGER NOT NULL REFERENCES items (pk),
        type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 4),
        ts INTEGER NOT NULL,
        value REAL NOT NULL,
        price REAL,
        session TEXT
      );
      CREATE INDEX events_shopper_ts ON events (shopper, ts);
      CREATE INDEX events_item ON events (item);
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        report TEXT NOT NULL,
        result TEXT NOT NULL
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'storefront service: api keys, impressions, experiments, exposures, jobs',
    // Impressions and exposures name shoppers and items by string id: the
    // service writes them without a lookup, and anonymous shoppers may have
    // no row yet. One impressions row is one shown slate (its products as a
    // JSON array, in order): a tenth of the rows of one per product, which
    // matters at hundreds of slates a second. Keys are stored as a SHA-256
    // hash of their secret part.
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('writer', 'seller', 'admin')),
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE impressions (
        pk INTEGER PRIMARY KEY,
        slate TEXT NOT NULL,
        shopper TEXT NOT NULL,
        items TEXT NOT NULL,
        n INTEGER NOT NULL,
        explored TEXT NOT NULL DEFAULT '[]',
        variant TEXT NOT NULL,
        experiment TEXT,
        ts INTEGER NOT NULL
      );
      CREATE INDEX impressions_ts ON impressions (ts);
      CREATE INDEX impressions_shopper_ts ON impressions (shopper, ts);
      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
        variants TEXT NOT NULL,
        created_at TEXT NOT NULL,
        stopped_at TEXT
      );
      CREATE TABLE exposures (
        experiment TEXT NOT NULL REFERENCES experiments (id),
        shopper TEXT NOT NULL,
        variant TEXT NOT NULL,
        ts INTEGER NOT NULL,
        PRIMARY KEY (experiment, shopper)
      ) WITHOUT ROWID;
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        params TEXT NOT NULL,
        progress TEXT,
        result TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX jobs_created ON jobs (created_at);
    `,
  },
  {
    version: 3,
    name: 'item feedback aggregate',
    // The bandit's starting statistics per product (impressions and
    // attributed clicks), kept up to date by the service's impression
    // flushes so that a server start reads one row per product instead of
    // scanning every logged slate. Filled from the impressions log on first
    // use (itemFeedback), which records the attribution window in meta.
    sql: `
      CREATE TABLE item_feedback (
        item TEXT PRIMARY KEY,
        impressions INTEGER NOT NULL,
        clicks INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** The highest applied version; 0 for a new database (or one without the table). */
export function currentVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const v = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get();
  return typeof v === 'number' ? v : 0;
}

/**
 * Applies the pending migrations in order and returns the resulting version.
 * STORE_ERROR when the database was written by a newer vitrine.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(CREATE_TABLE);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = currentVersion(db);
  if (current > latest) {
    fail('STORE_ERROR', `the store has schema version ${current}, newer than this vitrine knows (${latest})`, {
      hint: 'upgrade vitrine, or use another --store',
    });
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  return currentVersion(db);
}
