import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { ItemCatalog } from './item-catalog.js';
import type { ModelCatalog } from './models/model-catalog.js';

/**
 * Follows what other processes write to the store while the server runs
 * (`vitrine import` of new products into a live shop): every `everyMs` it
 * asks whether another connection committed since (SQLite's data_version,
 * as the serving writer sees it: the server's own event, impression and job
 * writes do not count; its rare writes on the server thread, such as a new
 * API key, do), and if one did, reads the catalog
 * again and, when a product is new or changed, refreshes the models' item
 * columns, so events naming the new
 * products are accepted and filters, similar products and photo search see
 * them. Nothing is read while the store is unchanged.
 */
export interface StoreWatchDeps {
  store: Store;
  items: ItemCatalog;
  models: ModelCatalog;
  log: Logger;
  /** A number that changes when another connection commits (default: the store's data_version). */
  version?: () => number;
}

export class StoreWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: number;
  private busy = false;
  private readonly version: () => number;
  private readonly listeners: ((added: number) => void)[] = [];

  constructor(
    private readonly d: StoreWatchDeps,
    private readonly everyMs: number,
  ) {
    this.version = d.version ?? (() => d.store.dataVersion());
    this.last = this.version();
  }

  start(): void {
    if (this.everyMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.check(), this.everyMs);
    this.timer.unref();
  }

  /** Called after a reload that found new products (e.g. to bring the photo index up to date). */
  onProducts(listener: (added: number) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look: the number of products that appeared, or null when the store did not change (or a reload is under way). */
  async check(): Promise<number | null> {
    if (this.busy) return null;
    const version = this.version();
    if (version === this.last) return null;
    this.busy = true;
    this.last = version;
    try {
      // Another connection's commit need not touch products (the server's own keys, experiments and job
      // records count as another's when its writes' thread reads data_version): columns are rebuilt, and the
      // kept candidates dropped, only when a product is new or changed.
      const { added, changed } = await this.d.items.reload();
      if (added + changed > 0) this.d.models.refreshItems();
      if (added > 0) {
        this.d.log.info({ added, products: this.d.items.size }, 'the store gained products written by another process: catalog reloaded');
        for (const l of this.listeners) l(added);
      }
      return added;
    } catch (e) {
      this.d.log.error({ err: e }, 'could not reload the catalog after another process wrote to the store');
      return null;
    } finally {
      this.busy = false;
    }
  }
}
