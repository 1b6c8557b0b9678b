import { describe, expect, it } from 'vitest';
import type { Ranked } from './rank.js';
import { sessionConfig, sessionRerank, sessionWeights, type SessionEvent } from './session.js';

/** Items 0..9 scored 10..1; items 5-9 are "bags", like item 200 that the shopper just clicked. */
const candidates: Ranked = { items: Int32Array.from({ length: 10 }, (_, i) => i), scores: Float32Array.from({ length: 10 }, (_, i) => 10 - i) };
const isBag = (i: number): boolean => (i >= 5 && i < 10) || i === 200;
const sim = (a: number, b: number): number => (isBag(a) === isBag(b) ? 1 : 0);
const now = 1_000_000_000;

describe('session re-ranking', () => {
  it('leaves the order alone without recent events', () => {
    expect(Array.from(sessionRerank(candidates, [], now, sim).items)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lifts items like the ones just clicked', () => {
    const events: SessionEvent[] = [{ itemIdx: 200, type: 'click', ts: now - 60_000 }];
    // z-scores span about ±1.6, so a weight of 4 lifts every bag above every shoe
    const r = sessionRerank(candidates, events, now, sim, sessionConfig({ weight: 4 }));
    expect(Array.from(r.items.slice(0, 5)).sort()).toEqual([5, 6, 7, 8, 9]);
  });

  it('forgets old events: decay by half-life and a window', () => {
    const cfg = sessionConfig({ halfLifeMs: 60_000, windowMs: 600_000 });
    const w = sessionWeights(
      [
        { itemIdx: 1, type: 'click', ts: now - 700_000 },
        { itemIdx: 2, type: 'click', ts: now - 60_000 },
        { itemIdx: 3, type: 'cart', ts: now },
      ],
      now,
      cfg,
    );
    expect(w.map((x) => x.itemIdx)).toEqual([3, 2]);
    expect(w[0]!.weight).toBeCloseTo(1.5, 10);
    expect(w[1]!.weight).toBeCloseTo(0.5, 10);
  });

  it('rejects a negative weight', () => {
    expect(() => sessionConfig({ weight: -1 })).toThrow(/weight/);
  });
});
