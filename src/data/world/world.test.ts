import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../core/errors.js';
import { productAttributesOf, trueUtility } from './utility.js';
import { eventTypeCounts, generateWorld, worldEvent, worldEvents, type World } from './world.js';
import { worldConfig } from './world-config.js';

const TINY = { items: 60, shoppers: 30, days: 5, seed: 7 };

function expectInvalid(f: () => unknown): void {
  try {
    f();
    expect.unreachable();
  } catch (e) {
    expect(isVitrineError(e) && e.code).toBe('INVALID_ARGUMENT');
  }
}

describe('generateWorld', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await generateWorld(TINY);
    const b = await generateWorld(TINY);
    const c = await generateWorld({ ...TINY, seed: 8 });
    expect(a.events.n).toBeGreaterThan(50);
    expect(b.items).toEqual(a.items);
    expect(b.tastes).toEqual(a.tastes);
    expect(worldEvents(b)).toEqual(worldEvents(a));
    expect(worldEvents(c)).not.toEqual(worldEvents(a));
  });

  it('writes events in time order, after both the product and the shopper exist', async () => {
    const w = await generateWorld({ items: 200, shoppers: 120, days: 20, seed: 3 });
    const e = w.events;
    const bad = { order: 0, beforeItem: 0, beforeShopper: 0 };
    for (let k = 0; k < e.n; k++) {
      if (k > 0 && e.ts[k]! < e.ts[k - 1]!) bad.order++;
      if (e.ts[k]! < w.items[e.item[k]!]!.createdAt!) bad.beforeItem++;
      if (e.ts[k]! <= w.shoppers[e.shopper[k]!]!.createdAt!) bad.beforeShopper++;
    }
    expect(bad).toEqual({ order: 0, beforeItem: 0, beforeShopper: 0 });
    // Some products arrive during the days and still get events.
    const lateItems = new Set<number>();
    for (let k = 0; k < e.n; k++) if (w.items[e.item[k]!]!.createdAt! > w.config.startTime) lateItems.add(e.item[k]!);
    expect(lateItems.size).toBeGreaterThan(10);
    const keys = new Set(worldEvents(w).map((x) => x.key));
    expect(keys.size).toBe(e.n);
  });

  it('makes funnels: clicks follow views and purchases follow carts of the same item in the same session', async () => {
    const w = await generateWorld({ items: 200, shoppers: 120, days: 20, seed: 5 });
    const carts = new Set<string>();
    const views = new Set<string>();
    const counts = eventTypeCounts(w.events);
    expect(counts.view!).toBeGreaterThan(counts.click!);
    expect(counts.click!).toBeGreaterThan(counts.cart!);
    expect(counts.cart!).toBeGreaterThanOrEqual(counts.purchase!);
    expect(counts.purchase!).toBeGreaterThan(0);
    let orphans = 0;
    let wrongPrice = 0;
    for (let k = 0; k < w.events.n; k++) {
      const ev = worldEvent(w, k);
      const key = `${ev.sessionId}/${ev.itemId}`;
      if (ev.type === 'view') views.add(key);
      if (ev.type === 'click' && !views.has(key)) orphans++;
      if (ev.type === 'cart') carts.add(key);
      if (ev.type === 'purchase' && !carts.has(key)) orphans++;
      if (ev.price !== w.items[w.events.item[k]!]!.price) wrongPrice++;
    }
    expect([orphans, wrongPrice]).toEqual([0, 0]);
  });

  it('draws purchases from high true utility', async () => {
    const w: World = await generateWorld({ items: 300, shoppers: 200, days: 20, seed: 11 });
    const mean = { view: [0, 0], purchase: [0, 0] } as Record<string, [number, number]>;
    for (let k = 0; k < w.events.n; k++) {
      const type = worldEvent(w, k).type;
      if (type !== 'view' && type !== 'purchase') continue;
      const u = trueUtility(w.tastes[w.events.shopper[k]!]!, productAttributesOf(w.items[w.events.item[k]!]!));
      mean[type]![0] += u;
      mean[type]![1]++;
    }
    const [view, purchase] = [mean.view![0] / mean.view![1], mean.purchase![0] / mean.purchase![1]];
    expect(mean.purchase![1]).toBeGreaterThan(100);
    // Purchased products sit far above shown ones in true utility (about 2 units here).
    expect(purchase - view).toBeGreaterThan(1);
  });

  it('concentrates events on popular products (long tail)', async () => {
    const w = await generateWorld({ items: 500, shoppers: 300, days: 20, seed: 2 });
    const counts = new Float64Array(w.items.length);
    for (let k = 0; k < w.events.n; k++) counts[w.events.item[k]!]!++;
    const sorted = Array.from(counts).sort((a, b) => b - a);
    const top = sorted.slice(0, 50).reduce((a, b) => a + b, 0) / w.events.n;
    expect(top).toBeGreaterThan(0.25);
  });

  it('rejects bad sizes with INVALID_ARGUMENT', () => {
    expectInvalid(() => worldConfig({ items: 0 }));
    expectInvalid(() => worldConfig({ shoppers: 1.5 }));
    expectInvalid(() => worldConfig({ days: -3 }));
    expectInvalid(() => worldConfig({ seed: -1 }));
    expectInvalid(() => worldConfig({ items: Number.NaN }));
    expect(worldConfig({ items: undefined }).items).toBe(2000);
    expect(worldConfig({ events: { noise: 0.2 } }).events.clickThreshold).toBe(worldConfig().events.clickThreshold);
    expect(Object.isFrozen(worldConfig())).toBe(true);
  });

  it('rejects bad sizes from generateWorld too, and stops on abort', async () => {
    await expect(generateWorld({ days: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const ctl = new AbortController();
    ctl.abort();
    await expect(generateWorld(TINY, { signal: ctl.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
