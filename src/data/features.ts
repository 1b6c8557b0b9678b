import { eventTypeName, type Dataset } from './dataset.js';
import { EVENT_TYPES, type EventType } from './schema.js';

/**
 * Shopper features after the paper's description of shopper profiles
 * (paper 000, section 3.1: "average spend, favourite categories, most active
 * hours", plus recency and frequency as in RFM analysis). Computed from a
 * Dataset in one pass per shopper; times are UTC. Encoding for the models is
 * in shopper-encoding.ts.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface ShopperFeatureConfig {
  /** Weight of one event of each type when ranking favourite categories; a rating weighs typeWeights.rating * value / 5. */
  typeWeights: Readonly<Record<EventType, number>>;
  /** How many favourite categories to keep. */
  topCategories: number;
  /** How many most active hours to keep. */
  topHours: number;
}

/** A purchase says more about taste than a view (the usual implicit-feedback weighting, e.g. Hu, Koren & Volinsky 2008). */
export const DEFAULT_SHOPPER_FEATURES: Readonly<ShopperFeatureConfig> = Object.freeze({
  typeWeights: Object.freeze({ view: 1, click: 2, cart: 3, purchase: 5, rating: 5 }),
  topCategories: 3,
  topHours: 3,
});

export interface ShopperFeatures {
  userIdx: number;
  /** Number of events of the shopper. */
  events: number;
  countsByType: Record<EventType, number>;
  /** Mean price over purchases with a known price; NaN when there is none. */
  avgSpend: number;
  /** Sum of known purchase prices; 0 when none. */
  totalSpend: number;
  /** Up to topCategories categories by summed event weight, heaviest first (ties by name). */
  favouriteCategories: string[];
  /** Up to topHours hours of day (0-23, UTC) by event count, busiest first (ties by hour). */
  activeHours: number[];
  /** Days from the shopper's last event to the dataset's last event; NaN without events. */
  recencyDays: number;
  /** Distinct UTC days with at least one event. */
  activeDays: number;
  /** Events per active day; 0 without events. */
  frequency: number;
}

/** Rows of each user, in dataset order (time order): a stable counting sort by user. */
function rowsByUser(user: Int32Array, nUsers: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(nUsers + 1);
  for (let k = 0; k < user.length; k++) start[user[k]! + 1]!++;
  for (let u = 0; u < nUsers; u++) start[u + 1]! += start[u]!;
  const fill = start.slice(0, nUsers);
  const rows = new Int32Array(user.length);
  for (let k = 0; k < user.length; k++) rows[fill[user[k]!]!++] = k;
  return { start, rows };
}

/** The top `k` keys by value descending, ties by key ascending. */
function top<K extends string | number>(weights: Map<K, number>, k: number): K[] {
  return [...weights.entries()]
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([key]) => key);
}

function emptyCounts(): Record<EventType, number> {
  return Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
}

/** Features of every shopper of `data`, indexed by userIdx (shoppers without events included). */
export function computeShopperFeatures(data: Dataset, config: Readonly<ShopperFeatureConfig> = DEFAULT_SHOPPER_FEATURES): ShopperFeatures[] {
  const e = data.events;
  const nUsers = data.users.size;
  let lastTs = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < e.ts.length; k++) if (e.ts[k]! > lastTs) lastTs = e.ts[k]!;
  const { start, rows } = rowsByUser(e.user, nUsers);
  const out: ShopperFeatures[] = [];
  for (let u = 0; u < nUsers; u++) {
    const counts = emptyCounts();
    const categories = new Map<string, number>();
    const hours = new Map<number, number>();
    let spend = 0;
    let paid = 0;
    let userLast = Number.NEGATIVE_INFINITY;
    const days = new Set<number>();
    for (let r = start[u]!; r < start[u + 1]!; r++) {
      const k = rows[r]!;
      const type = eventTypeName(e.type[k]!);
      const ts = e.ts[k]!;
      counts[type]++;
      if (type === 'purchase' && Number.isFinite(e.price[k]!)) {
        spend += e.price[k]!;
        paid++;
      }
      const category = data.itemInfo[e.item[k]!]?.category;
      const w = type === 'rating' ? (config.typeWeights.rating * e.value[k]!) / 5 : config.typeWeights[type];
      if (category) categories.set(category, (categories.get(category) ?? 0) + w);
      const hour = Math.floor((((ts % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
      days.add(Math.floor(ts / DAY_MS));
      if (ts > userLast) userLast = ts;
    }
    const n = start[u + 1]! - start[u]!;
    out.push({
      userIdx: u,
      events: n,
      countsByType: counts,
      avgSpend: paid > 0 ? spend / paid : Number.NaN,
      totalSpend: spend,
      favouriteCategories: top(categories, config.topCategories),
      activeHours: top(hours, config.topHours),
      recencyDays: n > 0 ? (lastTs - userLast) / DAY_MS : Number.NaN,
      activeDays: days.size,
      frequency: days.size > 0 ? n / days.size : 0,
    });
  }
  return out;
}

export { encodeShopperFeatures, fitShopperEncoder, applyShopperEncoder } from './shopper-encoding.js';
export type { EncodedShopperFeatures, ShopperEncoder, ShopperEncodingConfig } from './shopper-encoding.js';
