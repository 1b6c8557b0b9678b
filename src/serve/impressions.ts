import type { Logger } from '../core/logger.js';
import type { ArmStats } from '../recommend/bandit.js';
import type { ExposureRow, SlateImpression, Store } from '../store/store.js';
import type { ServingModel } from './models/serving-model.js';
import { DirectWriter, type ServeWriter } from './store-io/serve-writer.js';

/**
 * Impressions and exposures (issue 3: "impressions are logged so CTR can be
 * computed"; issue 4: "exposures logged"). Every shown slate is logged (one
 * row per slate), in batches written every `flushMs` (one transaction
 * each, ~50 rows at 500 requests/s and 100 ms) through the serving
 * writer (its own thread in `vitrine serve`): unlike events, impressions
 * are not acknowledged to anyone, so nothing waits for the disk. The same counts, kept in memory per product, are the
 * bandit's arm statistics; a click on a product the shopper was shown in the
 * attribution window counts for that product.
 */
export class ImpressionLog {
  private pending: SlateImpression[] = [];
  /** Products of the clicks attributed since the last flush (for the store's aggregate). */
  private pendingClicks: string[] = [];
  private pendingExposures: ExposureRow[] = [];
  private readonly exposed = new Set<string>();
  private readonly counts = new Map<string, { impressions: number; clicks: number }>();
  /** Arm statistics by item index, per model. */
  private readonly views = new WeakMap<ServingModel, { impressions: Float64Array; clicks: Float64Array }>();
  private readonly models = new Set<WeakRef<ServingModel>>();
  /** shopper → product → last time shown (capped LRU of shoppers). */
  private readonly shown = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    store: Store,
    private readonly log: Logger,
    private readonly attributionWindowMs: number,
    private readonly maxShoppers = 50_000,
    private readonly writer: ServeWriter = new DirectWriter(store),
  ) {
    for (const f of store.itemFeedback(attributionWindowMs)) this.counts.set(f.itemId, { impressions: f.impressions, clicks: f.clicks });
  }

  /** Starts the periodic flush (unref'd: it never keeps the process alive). */
  start(flushMs: number): void {
    // A tick while a flush is in flight does nothing: what came in waits for the next tick.
    this.timer ??= setInterval(() => void (this.flushing === undefined && this.write()), flushMs);
    this.timer.unref();
  }

  /** Records a shown slate. */
  add(slate: SlateImpression): void {
    this.pending.push(slate);
    let m = this.shown.get(slate.shopperId);
    if (m === undefined) {
      m = new Map();
      this.shown.set(slate.shopperId, m);
      if (this.shown.size > this.maxShoppers) this.shown.delete(this.shown.keys().next().value!);
    }
    for (const id of slate.itemIds) {
      this.bump(id, 'impressions');
      m.set(id, slate.ts);
    }
  }

  /** Records an experiment exposure once per experiment and shopper. */
  expose(row: ExposureRow): void {
    const key = `${row.experimentId}\u0000${row.shopperId}`;
    if (this.exposed.has(key)) return;
    this.exposed.add(key);
    this.pendingExposures.push(row);
  }

  /** A click event: counts for the product when the shopper was shown it in the attribution window. */
  click(shopperId: string, itemId: string, ts: number): boolean {
    const at = this.shown.get(shopperId)?.get(itemId);
    if (at === undefined || ts < at || ts - at >= this.attributionWindowMs) return false;
    this.bump(itemId, 'clicks');
    this.pendingClicks.push(itemId);
    return true;
  }

  private bump(itemId: string, field: 'impressions' | 'clicks'): void {
    let c = this.counts.get(itemId);
    if (c === undefined) {
      c = { impressions: 0, clicks: 0 };
      this.counts.set(itemId, c);
    }
    c[field]++;
    for (const ref of this.models) {
      const m = ref.deref();
      if (m === undefined) {
        this.models.delete(ref);
        continue;
      }
      const idx = m.bundle.items.get(itemId);
      const v = this.views.get(m);
      if (idx !== undefined && v !== undefined) v[field][idx]!++;
    }
  }

  /** The bandit's statistics in `model`'s item indices. */
  statsFor(model: ServingModel): ArmStats {
    let v = this.views.get(model);
    if (v === undefined) {
      v = { impressions: new Float64Array(model.nItems), clicks: new Float64Array(model.nItems) };
      for (const [id, c] of this.counts) {
        const idx = model.bundle.items.get(id);
        if (idx === undefined) continue;
        v.impressions[idx] = c.impressions;
        v.clicks[idx] = c.clicks;
      }
      this.views.set(model, v);
      this.models.add(new WeakRef(model));
    }
    return v;
  }

  /** Product totals (for the metrics route). */
  totals(): { impressions: number; clicks: number } {
    let impressions = 0;
    let clicks = 0;
    for (const c of this.counts.values()) {
      impressions += c.impressions;
      clicks += c.clicks;
    }
    return { impressions, clicks };
  }

  /**
   * Writes what is pending now (resolves when written, after a flush in
   * flight if there is one); a failed write is logged and retried at the
   * next flush.
   */
  flush(): Promise<void> {
    return this.flushing === undefined ? this.write() : this.flushing.then(() => this.write());
  }

  private write(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing.then(() => this.write());
    if (this.pending.length === 0 && this.pendingExposures.length === 0 && this.pendingClicks.length === 0) return Promise.resolve();
    const batch = { rows: this.pending, exposures: this.pendingExposures, clicks: this.pendingClicks };
    this.pending = [];
    this.pendingExposures = [];
    this.pendingClicks = [];
    const keep = (exposed: boolean, err: unknown): void => {
      this.log.error({ err, rows: batch.rows.length }, 'impression flush failed; will retry');
      this.pending = batch.rows.concat(this.pending);
      if (!exposed) this.pendingExposures = batch.exposures.concat(this.pendingExposures);
      this.pendingClicks = batch.clicks.concat(this.pendingClicks);
    };
    const flushing = this.writer.logImpressions(batch).then(
      (r) => {
        if (!r.logged) keep(r.exposed, r.error);
      },
      (e: unknown) => keep(false, e),
    );
    this.flushing = flushing.finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush();
  }
}
