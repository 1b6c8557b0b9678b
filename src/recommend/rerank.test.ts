import { describe, expect, it } from 'vitest';
import { capPerCategory, mmr } from './rerank.js';

// Items 0-3 and 6 are near-duplicates (category 0); 4 and 5 are different (categories 1, 2).
const candidates = { items: Int32Array.of(0, 1, 2, 3, 4, 5, 6), scores: Float32Array.of(1, 0.99, 0.98, 0.97, 0.9, 0.85, 0.1) };
const CATEGORY = [0, 0, 0, 0, 1, 2, 0];
const category = (i: number): number => CATEGORY[i]!;
const sim = (a: number, b: number): number => (category(a) === category(b) ? 1 : 0);

describe('diversity re-ranking', () => {
  it('MMR trades a little relevance for variety', () => {
    expect(Array.from(mmr(candidates, 3, sim, 0.7).items)).toEqual([0, 4, 5]);
  });

  it('MMR with lambda 1 keeps the original order', () => {
    expect(Array.from(mmr(candidates, 4, sim, 1).items)).toEqual([0, 1, 2, 3]);
  });

  it('caps items per category', () => {
    const r = capPerCategory(candidates, 4, category, 2);
    expect(Array.from(r.items)).toEqual([0, 1, 4, 5]);
    expect(Array.from(r.scores)).toEqual([1, 0.99, 0.9, 0.85].map(Math.fround));
    expect(() => capPerCategory(candidates, 4, category, 0)).toThrow(/maxPerCategory/);
  });
});
