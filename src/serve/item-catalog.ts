import { emptyReport, type Item } from '../data/schema.js';
import type { Store } from '../store/store.js';

/**
 * The product catalog held in memory (10,000 products are a few MB), so the
 * request path reads titles, prices and categories without a query, and
 * events can be checked against known product ids at once. Writes go
 * through the store first, then here.
 */
export class ItemCatalog {
  private readonly byId = new Map<string, Item>();
  private readonly order: string[] = [];
  /** Bumped on every product added or changed (caches keyed on the catalog compare it). */
  version = 0;
  /** Events this server took in, per product (caches of what events on a product imply compare it). */
  private readonly activity = new Map<string, number>();

  constructor(private readonly store: Store) {
    for (let offset = 0; ; offset += 10_000) {
      const page = store.listItems({ offset, limit: 10_000 });
      for (const it of page) this.remember(it);
      if (page.length < 10_000) break;
    }
  }

  /** Keeps a product; false when it is already held, unchanged (the held object stays). */
  private remember(it: Item): boolean {
    const held = this.byId.get(it.id);
    if (held === undefined) this.order.push(it.id);
    else if (sameItem(held, it)) return false;
    this.byId.set(it.id, it);
    this.version++;
    return true;
  }

  /**
   * Reads the catalog from the store again (another process wrote to it,
   * e.g. `vitrine import`), a page at a time with a turn of the event loop
   * between pages, and says how many products are new and how many
   * changed; an unchanged product keeps its object (and what is cached on
   * it). Products are never dropped: the store never deletes them.
   */
  async reload(pageSize = 2000): Promise<{ added: number; changed: number }> {
    const before = this.order.length;
    let touched = 0;
    for (let offset = 0; ; offset += pageSize) {
      const page = this.store.listItems({ offset, limit: pageSize });
      for (const it of page) if (this.remember(it)) touched++;
      if (page.length < pageSize) break;
      await new Promise((r) => setImmediate(r));
    }
    const added = this.order.length - before;
    return { added, changed: touched - added };
  }

  /** Counts an event on a product that the store has committed. */
  noteEvent(itemId: string): void {
    this.activity.set(itemId, (this.activity.get(itemId) ?? 0) + 1);
  }

  /** How many events on `itemId` this server has taken in (0 for none). */
  activityOf(itemId: string): number {
    return this.activity.get(itemId) ?? 0;
  }

  get size(): number {
    return this.order.length;
  }

  get(id: string): Item | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every product, in catalog order. */
  *all(): IterableIterator<Item> {
    for (const id of this.order) yield this.byId.get(id)!;
  }

  /** A page in catalog order, optionally one category. */
  page(offset: number, limit: number, category?: string): { items: Item[]; total: number } {
    const ids = category === undefined ? this.order : this.order.filter((id) => this.byId.get(id)!.category === category);
    return { items: ids.slice(offset, offset + limit).map((id) => this.byId.get(id)!), total: ids.length };
  }

  /** Category names with their product counts. */
  categories(): { name: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const it of this.byId.values()) counts.set(it.category, (counts.get(it.category) ?? 0) + 1);
    return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Adds or updates products: one store transaction, then the memory copy. */
  upsert(items: readonly Item[], source: string): { added: number; updated: number } {
    const result = this.store.importBatch({ items: [...items], shoppers: [], events: [], report: { ...emptyReport(source, 'api'), rowsRead: items.length, rowsKept: items.length, items: items.length } });
    for (const it of items) this.remember(it);
    return { added: result.itemsAdded, updated: result.itemsUpdated };
  }
}

function sameItem(a: Item, b: Item): boolean {
  return (
    a.title === b.title &&
    a.category === b.category &&
    a.caption === b.caption &&
    a.price === b.price &&
    a.image === b.image &&
    a.createdAt === b.createdAt &&
    JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
  );
}
