import type Database from 'better-sqlite3';
import type { AnalyticsQuery, BusinessCountsRow, ItemFeedback } from './serving-types.js';

/**
 * Business counts from impressions and events, in SQL (metrics/business.ts
 * turns them into rates with intervals). A "cell" is a bucket (a UTC day,
 * or the whole window) and a variant:
 * - each shopper with impressions in a bucket belongs to one variant there
 *   (the variant of their impressions; an experiment assigns one per shopper);
 * - clicks: click events on a product the same shopper was shown in the
 *   attribution window before the click (each click counted once);
 * - orders: a shopper's purchases grouped by session (by day without one),
 *   value Σ price × quantity; counted for shoppers with impressions in that bucket.
 */

const DAY_MS = 86_400_000;

/** The SQL of one query; `bucket(ts)` is the day number, or 0 for the whole window. */
function countsSql(byDay: boolean): string {
  const bucket = (col: string): string => (byDay ? `CAST(${col} / ${DAY_MS} AS INTEGER)` : '0');
  return `
    WITH sd AS (
      SELECT ${bucket('ts')} AS b, shopper, min(variant) AS variant, sum(n) AS impressions
      FROM impressions
      WHERE ts >= @from AND ts < @to AND (@exp IS NULL OR experiment = @exp)
      GROUP BY b, shopper
    ),
    clicks AS (
      SELECT ${bucket('e.ts')} AS b, im.shopper AS shopper, count(DISTINCT e.pk) AS clicks
      FROM impressions im
      JOIN json_each(im.items) j
      JOIN shoppers s ON s.id = im.shopper
      JOIN items it ON it.id = j.value
      JOIN events e ON e.shopper = s.pk AND e.item = it.pk AND e.type = 1 AND e.ts >= im.ts AND e.ts < im.ts + @win
      WHERE im.ts >= @from AND im.ts < @to AND (@exp IS NULL OR im.experiment = @exp)
      GROUP BY b, im.shopper
    ),
    orders AS (
      SELECT ${bucket('min(e.ts)')} AS b, s.id AS shopper, sum(coalesce(e.price, 0) * e.value) AS value
      FROM events e JOIN shoppers s ON s.pk = e.shopper
      WHERE e.type = 3 AND e.ts >= @from AND e.ts < @to
      GROUP BY e.shopper, coalesce(e.session, CAST(e.ts / ${DAY_MS} AS INTEGER))
    ),
    od AS (
      SELECT b, shopper, count(*) AS orders, sum(value) AS revenue, sum(value * value) AS sq
      FROM orders GROUP BY b, shopper
    )
    SELECT sd.b, sd.variant, sum(sd.impressions), sum(coalesce(c.clicks, 0)), count(*),
      sum(CASE WHEN od.orders > 0 THEN 1 ELSE 0 END), sum(coalesce(od.orders, 0)), sum(coalesce(od.revenue, 0)),
      sum(coalesce(od.sq, 0)), sum(coalesce(od.revenue, 0) * coalesce(od.revenue, 0))
    FROM sd
    LEFT JOIN clicks c ON c.b = sd.b AND c.shopper = sd.shopper
    LEFT JOIN od ON od.b = sd.b AND od.shopper = sd.shopper
    GROUP BY sd.b, sd.variant
    ORDER BY sd.b, sd.variant`;
}

type CountsRow = [number, string, number, number, number, number, number, number, number, number];

export function businessCounts(db: Database.Database, q: AnalyticsQuery): BusinessCountsRow[] {
  const rows = db.prepare(countsSql(q.byDay)).raw().all({ from: q.from, to: q.to, exp: q.experimentId ?? null, win: q.attributionWindowMs }) as CountsRow[];
  return rows.map(([b, variant, impressions, clicks, shoppers, buyers, orders, revenue, orderValueSumSq, shopperRevenueSumSq]) => ({
    day: q.byDay ? new Date(b * DAY_MS).toISOString().slice(0, 10) : 'all',
    variant,
    impressions,
    clicks,
    shoppers,
    buyers,
    orders,
    revenue,
    orderValueSumSq,
    shopperRevenueSumSq,
  }));
}

/** The meta key that says item_feedback holds the aggregate (its value: the attribution window it was computed with, ms). */
export const ITEM_FEEDBACK_META = 'item_feedback.window_ms';

/**
 * Impressions and attributed clicks per shown item (the bandit's starting
 * statistics): read from the item_feedback aggregate when it is kept (see
 * ServeTables.logImpressions), else computed from the impressions log and events (one
 * scan of every logged slate) and, on a writable store, saved as the
 * aggregate from then on.
 */
export function itemFeedback(db: Database.Database, attributionWindowMs: number, writable: boolean): ItemFeedback[] {
  const kept = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(ITEM_FEEDBACK_META);
  if (kept !== undefined) {
    const rows = db.prepare('SELECT item, impressions, clicks FROM item_feedback WHERE impressions > 0 ORDER BY item').raw().all() as [string, number, number][];
    return rows.map(([itemId, impressions, clicks]) => ({ itemId, impressions, clicks }));
  }
  const rows = scanItemFeedback(db, attributionWindowMs);
  if (writable) {
    db.transaction(() => {
      db.prepare('DELETE FROM item_feedback').run();
      const put = db.prepare('INSERT INTO item_feedback (item, impressions, clicks) VALUES (?, ?, ?)');
      for (const r of rows) put.run(r.itemId, r.impressions, r.clicks);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ITEM_FEEDBACK_META, String(attributionWindowMs));
    })();
  }
  return rows;
}

/** The full computation over the impressions log: clicks by the shopper on a shown item within the window after the slate. */
function scanItemFeedback(db: Database.Database, attributionWindowMs: number): ItemFeedback[] {
  const sql = `
    WITH imp AS (SELECT j.value AS item, count(*) AS n FROM impressions, json_each(impressions.items) j GROUP BY j.value),
    clk AS (
      SELECT j.value AS item, count(DISTINCT e.pk) AS n
      FROM impressions im
      JOIN json_each(im.items) j
      JOIN shoppers s ON s.id = im.shopper
      JOIN items it ON it.id = j.value
      JOIN events e ON e.shopper = s.pk AND e.item = it.pk AND e.type = 1 AND e.ts >= im.ts AND e.ts < im.ts + ?
      GROUP BY j.value
    )
    SELECT imp.item, imp.n, coalesce(clk.n, 0) FROM imp LEFT JOIN clk ON clk.item = imp.item ORDER BY imp.item`;
  const rows = db.prepare(sql).raw().all(attributionWindowMs) as [string, number, number][];
  return rows.map(([itemId, impressions, clicks]) => ({ itemId, impressions, clicks }));
}
