import type { Dataset } from '../data/dataset.js';
import type { CleaningReport, ImportBatch, Item, Shopper, ShopEvent } from '../data/schema.js';
import type { ServingStore } from './serving-types.js';

export type * from './serving-types.js';

/** What one import added; nothing is added twice (items and shoppers by id, events by key). */
export interface ImportResult {
  itemsAdded: number;
  itemsUpdated: number;
  shoppersAdded: number;
  shoppersUpdated: number;
  eventsAdded: number;
  /** Events whose key was already stored (a re-import). */
  eventsSkipped: number;
}

export interface ImportRecord {
  id: number;
  source: string;
  format: string;
  startedAt: string;
  finishedAt: string;
  report: CleaningReport;
  result: ImportResult;
}

export interface StoreCounts {
  items: number;
  shoppers: number;
  events: number;
}

export interface ListItemsOptions {
  offset?: number;
  limit?: number;
  category?: string;
}

/**
 * The store of a shop: items, shoppers, events, images by reference, and
 * what the storefront service records (ServingStore: keys, impressions,
 * experiments, jobs). SQLite (sqlite.ts) is the default; PostgreSQL comes
 * with a later issue.
 */
export interface Store extends ServingStore {
  readonly path: string;
  /** The schema version after migrations. */
  schemaVersion(): number;
  /** Writes a whole import in one transaction: a failure leaves the store as it was. */
  importBatch(batch: ImportBatch): ImportResult;
  /** Appends events (keys already stored are skipped); one transaction. */
  addEvents(events: readonly ShopEvent[]): { added: number; skipped: number };
  counts(): StoreCounts;
  /** Changes when another connection (another process: `vitrine import`) commits to the store; the same otherwise. */
  dataVersion(): number;
  getItem(id: string): Item | undefined;
  getShopper(id: string): Shopper | undefined;
  listItems(opts?: ListItemsOptions): Item[];
  listShoppers(opts?: { offset?: number; limit?: number }): Shopper[];
  /** Events of one shopper, oldest first. */
  eventsOf(shopperId: string): ShopEvent[];
  /** Every item, shopper and event as an in-memory Dataset (for training). */
  loadDataset(name?: string): Dataset;
  imports(): ImportRecord[];
  /** Key/value metadata (e.g. the world a demo store was built from). */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}
