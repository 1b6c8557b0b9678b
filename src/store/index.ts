import { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { Store } from './store.js';

export type { ImportRecord, ImportResult, ListItemsOptions, Store, StoreCounts } from './store.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

/** Opens the store at `path` (SQLite; PostgreSQL URLs come with a later issue). */
export function openStore(path: string, opts: SqliteStoreOptions = {}): Store {
  return openSqliteStore(path, opts);
}
