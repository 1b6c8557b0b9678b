import { describe, expect, it } from 'vitest';
import { buildDataset } from './dataset.js';
import { interactionPairs, selectPairs, trainDataFromPairs } from './interactions.js';
import type { EventType, Item, ShopEvent } from './schema.js';

const item = (id: string): Item => ({
  id,
  title: id,
  category: 'c',
  attributes: {},
  caption: '',
  price: null,
  image: null,
  createdAt: null,
});
const ev = (shopperId: string, itemId: string, type: EventType, ts: number): ShopEvent => ({
  key: `${shopperId}-${itemId}-${type}-${ts}`,
  shopperId,
  itemId,
  type,
  ts,
  value: 1,
  price: null,
  sessionId: null,
});

// items A=0, B=1, C=2; shoppers u1=0, u2=1
const dataset = buildDataset(
  'tiny',
  [item('A'), item('B'), item('C')],
  [
    { id: 'u1', attributes: {}, createdAt: null },
    { id: 'u2', attributes: {}, createdAt: null },
  ],
  [
    ev('u1', 'A', 'view', 1),
    ev('u1', 'A', 'purchase', 5),
    ev('u1', 'B', 'click', 3),
    ev('u2', 'C', 'rating', 2),
    ev('u2', 'A', 'view', 4),
  ],
);

describe('interactionPairs', () => {
  it('merges events into unique pairs with weighted strength and first/last times', () => {
    const p = interactionPairs(dataset);
    // sorted by (user, item): (0,A) (0,B) (1,A) (1,C)
    expect([...p.user]).toEqual([0, 0, 1, 1]);
    expect([...p.item]).toEqual([0, 1, 0, 2]);
    // u1-A: view 1 + purchase 8 = 9; u1-B: click 2; u2-A: view 1; u2-C: rating 1
    expect([...p.strength]).toEqual([9, 2, 1, 1]);
    expect([...p.firstTs]).toEqual([1, 3, 4, 2]);
    expect([...p.lastTs]).toEqual([5, 3, 4, 2]);
    expect([...p.events]).toEqual([2, 1, 1, 1]);
  });

  it('binary signal, custom weights and a row subset', () => {
    expect([...interactionPairs(dataset, { signal: { binary: true } }).strength]).toEqual([1, 1, 1, 1]);
    // views weigh 0 -> the u2-A pair (a lone view) disappears; u1-A keeps the purchase
    const noViews = interactionPairs(dataset, { signal: { weights: { view: 0 } } });
    expect([...noViews.item]).toEqual([0, 1, 2]);
    expect([...noViews.strength]).toEqual([8, 2, 1]);
    // events are sorted by time: rows 0..1 are ts 1 (u1 A view) and ts 2 (u2 C rating)
    const early = interactionPairs(dataset, { rows: Int32Array.from([0, 1]) });
    expect([...early.user]).toEqual([0, 1]);
    expect([...early.item]).toEqual([0, 2]);
    expect(() => interactionPairs(dataset, { signal: { weights: { cart: -1 } } })).toThrow(/cart/);
  });

  it('builds the training matrix from (a subset of) pairs', () => {
    const p = interactionPairs(dataset);
    const train = trainDataFromPairs(selectPairs(p, Int32Array.from([0, 3])), p.nUsers, p.nItems);
    expect(train.ui.nRows).toBe(2);
    expect(train.ui.nCols).toBe(3);
    expect(train.ui.nnz).toBe(2);
    expect(train.ui.has(0, 0)).toBe(true);
    expect(train.ui.has(1, 2)).toBe(true);
    expect(train.ui.has(0, 1)).toBe(false);
    expect([...train.ui.data]).toEqual([9, 1]);
    expect(train.content).toBeUndefined();
  });
});
