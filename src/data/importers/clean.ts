import { throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { emptyReport, recordDrop, type CleaningReport, type DropReason, type ImportBatch, type Item, type Shopper, type ShopEvent } from '../schema.js';

/**
 * Collects the records of one import and its cleaning report. Every source
 * row is counted once by `read()`, then either kept (an `add*` call that
 * succeeds) or dropped with a reason, so that
 * `rowsRead = rowsKept + duplicate + missingField + unknownId + badValue`.
 * `unreadableImage` is the exception: the row is kept and only its image is
 * dropped (the item keeps `image: null`).
 */
export class BatchBuilder {
  readonly report: CleaningReport;
  private readonly items = new Map<string, Item>();
  private readonly shoppers = new Map<string, Shopper>();
  private readonly events: ShopEvent[] = [];
  private readonly keys = new Set<string>();

  constructor(source: string, format: string) {
    this.report = emptyReport(source, format);
  }

  /** Counts one source row read. */
  read(): void {
    this.report.rowsRead++;
  }

  /** Drops the current row; `where` is e.g. "u.data line 17". */
  drop(reason: DropReason, where: string, why: string): void {
    recordDrop(this.report, reason, `${where}: ${why}`);
  }

  /** Records that an item's image could not be read; the item is kept without it. */
  imageDropped(where: string, why: string): void {
    recordDrop(this.report, 'unreadableImage', `${where}: ${why}`);
  }

  /** Keeps a catalog row; a second row with the same id is dropped as a duplicate. */
  addItem(item: Item, where: string): boolean {
    if (this.items.has(item.id)) return this.dup(where, `item "${item.id}" appears again`);
    this.items.set(item.id, item);
    this.report.rowsKept++;
    return true;
  }

  /** Adds an item derived from other rows (e.g. Amazon asins); it is not a source row, so not counted. */
  putItem(item: Item): void {
    this.items.set(item.id, item);
  }

  addShopper(shopper: Shopper, where: string): boolean {
    if (this.shoppers.has(shopper.id)) return this.dup(where, `shopper "${shopper.id}" appears again`);
    this.shoppers.set(shopper.id, shopper);
    this.report.rowsKept++;
    return true;
  }

  /** Keeps an event; one whose key was already seen in this batch is dropped as a duplicate. */
  addEvent(event: ShopEvent, where: string): boolean {
    if (this.keys.has(event.key)) return this.dup(where, `event ${event.key} appears again`);
    this.keys.add(event.key);
    this.events.push(event);
    this.report.rowsKept++;
    return true;
  }

  hasItem(id: string): boolean {
    return this.items.has(id);
  }

  getItem(id: string): Item | undefined {
    return this.items.get(id);
  }

  itemList(): IterableIterator<Item> {
    return this.items.values();
  }

  /**
   * The batch. Report counts: items and shoppers are distinct ids over
   * records and events (an id only named by events counts too); images are
   * items that keep an image.
   */
  finish(): ImportBatch {
    const items = [...this.items.values()];
    const shoppers = [...this.shoppers.values()];
    const itemIds = new Set(this.items.keys());
    const shopperIds = new Set(this.shoppers.keys());
    for (const e of this.events) {
      itemIds.add(e.itemId);
      shopperIds.add(e.shopperId);
    }
    const r = this.report;
    r.items = itemIds.size;
    r.shoppers = shopperIds.size;
    r.events = this.events.length;
    r.images = items.filter((it) => it.image !== null).length;
    return { items, shoppers, events: this.events, report: r };
  }

  private dup(where: string, why: string): false {
    this.drop('duplicate', where, why);
    return false;
  }
}

/**
 * The onBytes callback for the text readers: after each chunk read (64 KiB),
 * checks the abort signal and reports `{phase, done: bytes, total: file size}`.
 */
export function ticker(phase: string, onProgress: ProgressFn | undefined, signal: AbortSignal | undefined) {
  return (done: number, total: number): void => {
    throwIfAborted(signal);
    onProgress?.({ phase, done, total, unit: 'bytes' });
  };
}
