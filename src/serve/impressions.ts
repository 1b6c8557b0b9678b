import type { Logger } from '../core/logger.js';
import type { ArmStats } from '../recommend/bandit.js';
import type { ExposureRow, SlateImpression, Store } from '../store/store.js';
import type { ServingModel } from './models/serving-model.js';

/**
 * Impressions and exposures (issue 3: "impressions are logged so CTR can be
 * computed"; issue 4: "exposures logged"). Every shown slate is logged (one
 * row per slate), in batches written every `flushMs` (one transaction
 * each, ~50 rows at 500 requests/s and 100 ms): unlike events,
 * impressions are not acknowledged to anyone, so the request path does not
 * wait for the disk. The same counts, kept in memory per product, are the
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

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly attributionWindowMs: number,
    private readonly maxShoppers = 50_000,
  ) {
    for (const f of store.itemFeedback(attributionWindowMs)) this.counts.set(f.itemId, { impressions: f.impressions, clicks: f.clicks });
  }

  /** Starts the periodic flush (unref'd: it never keeps the process alive). */
  start(flushMs: number): void {
    this.timer ??= setInterval(() => this.flush(), flushMs);
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

  /** Writes what is pending; a failed write is logged and retried at the next flush. */
  flush(): void {
    if (this.pending.length === 0 && this.pendingExposures.length === 0 && this.pendingClicks.length === 0) return;
    const rows = this.pending;
    const exposures = this.pendingExposures;
    const clicks = this.pendingClicks;
    this.pending = [];
    this.pendingExposures = [];
    this.pendingClicks = [];
    let exposed = false;
    try {
      if (exposures.length > 0) this.store.logExposures(exposures);
      exposed = true;
      this.store.logImpressions(rows, clicks);
    } catch (e) {
      this.log.error({ err: e, rows: rows.length }, 'impression flush failed; will retry');
      this.pending = rows.concat(this.pending);
      if (!exposed) this.pendingExposures = exposures.concat(this.pendingExposures);
      this.pendingClicks = clicks.concat(this.pendingClicks);
    }
  }

  /** Stops the timer and writes what is pending. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
