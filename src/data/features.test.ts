import { describe, expect, it } from 'vitest';
import { buildDataset } from './dataset.js';
import { DAY_MS, computeShopperFeatures, encodeShopperFeatures } from './features.js';
import type { Item, ShopEvent } from './schema.js';
import { applyShopperEncoder, fitShopperEncoder } from './shopper-encoding.js';

const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;

const item = (id: string, category: string): Item => ({ id, title: id, category, attributes: {}, caption: '', price: null, image: null, createdAt: null });
let n = 0;
const ev = (shopperId: string, itemId: string, type: ShopEvent['type'], ts: number, extra: Partial<ShopEvent> = {}): ShopEvent => ({
  key: `k${n++}`, shopperId, itemId, type, ts, value: 1, price: null, sessionId: null, ...extra,
});

function shop() {
  return buildDataset(
    'shop',
    [item('i1', 'dress'), item('i2', 'shoe'), item('i3', 'dress')],
    [
      { id: 's1', attributes: { ageBand: '25-34', region: 'north' }, createdAt: null },
      { id: 's2', attributes: { ageBand: '18-24', region: 'south' }, createdAt: null },
      { id: 's3', attributes: {}, createdAt: null },
    ],
    [
      ev('s1', 'i1', 'view', T0 + 9 * H),
      ev('s1', 'i1', 'purchase', T0 + 9.5 * H, { price: 20 }),
      ev('s1', 'i2', 'purchase', T0 + DAY_MS + 14 * H, { price: 40 }),
      ev('s1', 'i3', 'cart', T0 + 2 * DAY_MS + 9 * H),
      ev('s2', 'i2', 'rating', T0 + 3 * DAY_MS + 22 * H, { value: 4 }),
      ev('s2', 'i1', 'click', T0 + 3 * DAY_MS + 23 * H),
    ],
  );
}

describe('computeShopperFeatures', () => {
  it('computes spend, favourite categories, active hours, recency and frequency by hand', () => {
    const [s1, s2, s3] = computeShopperFeatures(shop());
    expect(s1).toEqual({
      userIdx: 0,
      events: 4,
      countsByType: { view: 1, click: 0, cart: 1, purchase: 2, rating: 0 },
      avgSpend: 30,
      totalSpend: 60,
      // dress: view 1 + purchase 5 + cart 3 = 9; shoe: purchase 5.
      favouriteCategories: ['dress', 'shoe'],
      // 9h three times (9:00, 9:30, 9:00), 14h once.
      activeHours: [9, 14],
      // Last event day 2 at 9h; the dataset ends day 3 at 23h: 1 day 14 hours.
      recencyDays: expect.closeTo(1 + 14 / 24, 12),
      activeDays: 3,
      frequency: 4 / 3,
    });
    // A 4-star rating weighs 5 * 4/5 = 4 (shoe) against a click's 2 (dress).
    expect(s2).toMatchObject({ events: 2, favouriteCategories: ['shoe', 'dress'], activeHours: [22, 23], recencyDays: 0, activeDays: 1, frequency: 2, totalSpend: 0 });
    expect(s2!.avgSpend).toBeNaN();
    expect(s3).toMatchObject({ events: 0, favouriteCategories: [], activeHours: [], activeDays: 0, frequency: 0 });
    expect(s3!.recencyDays).toBeNaN();
  });
});

describe('encodeShopperFeatures', () => {
  it('standardizes numbers, flags missing values, and encodes age band, region and favourite category', () => {
    const data = shop();
    const enc = encodeShopperFeatures(computeShopperFeatures(data), data.shopperInfo);
    expect(enc.nRows).toBe(3);
    expect(enc.data).toHaveLength(3 * enc.nCols);
    const col = (name: string): number[] => {
      const c = enc.columns.indexOf(name);
      expect(c, name).toBeGreaterThanOrEqual(0);
      return enc.rows.map((r) => r[c]!);
    };
    const events = col('events');
    const mean = events.reduce((a, b) => a + b, 0) / 3;
    const variance = events.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
    // log1p(4) > log1p(2) > log1p(0).
    expect(events[0]).toBeGreaterThan(events[1]!);
    // One shopper with purchases: mean 30, no spread, so 0; the others are flagged missing.
    expect(col('avgSpend')).toEqual([0, 0, 0]);
    expect(col('avgSpend:missing')).toEqual([0, 1, 1]);
    expect(col('recencyDays:missing')).toEqual([0, 0, 1]);
    expect(col('ageBand')).toEqual([1, 0, 0.5]);
    expect(col('ageBand:missing')).toEqual([0, 0, 1]);
    expect(col('region=north')).toEqual([1, 0, 0]);
    expect(col('region=south')).toEqual([0, 1, 0]);
    expect(col('favouriteCategory=dress')).toEqual([1, 0, 0]);
    expect(col('favouriteCategory=shoe')).toEqual([0, 1, 0]);
    expect(col('activeHour:sin')[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(col('activeHour:cos')[0]).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(enc.columns.some((c) => c.startsWith('gender'))).toBe(false);
  });

  it('puts rare levels under other, and encodes new shoppers with a fitted encoder', () => {
    const data = shop();
    const features = computeShopperFeatures(data);
    const encoder = fitShopperEncoder(features, data.shopperInfo, { nominalFields: ['region'], maxLevels: 1 });
    expect(encoder.columns.filter((c) => c.startsWith('region'))).toEqual(['region=north', 'region=other']);
    const again = applyShopperEncoder(encoder, features.slice(1, 2), data.shopperInfo);
    const full = applyShopperEncoder(encoder, features, data.shopperInfo);
    expect(Array.from(again.rows[0]!)).toEqual(Array.from(full.rows[1]!));
    expect(again.rows[0]![encoder.columns.indexOf('region=other')]).toBe(1);
  });
});
