import { describe, expect, it } from 'vitest';
import type { InteractionPairs } from '../data/interactions.js';
import { describeProtocol } from './report.js';
import { parseProtocol, protocolLabel } from './protocol.js';
import { coldItems, makeSplit, validationSplit } from './splits.js';

/** 30 users x 40 items: user u has items u % 40 ... (u + 9) % 40 (10 pairs each); item 39 only once. */
function pairs(): InteractionPairs {
  const user: number[] = [];
  const item: number[] = [];
  for (let u = 0; u < 30; u++) for (let t = 0; t < 10; t++) {
    user.push(u);
    item.push((u + t) % 39);
  }
  user.push(0);
  item.push(39);
  const order = user.map((_, p) => p).sort((a, b) => user[a]! - user[b]! || item[a]! - item[b]!);
  const n = order.length;
  return {
    nUsers: 30, nItems: 41, // item 40 has no pairs at all
    user: Int32Array.from(order, (p) => user[p]!), item: Int32Array.from(order, (p) => item[p]!),
    strength: new Float32Array(n).fill(1), firstTs: new Float64Array(n), lastTs: new Float64Array(n), events: new Int32Array(n).fill(1),
  };
}

describe('cold-items split', () => {
  it('holds a seeded fraction of the items with pairs entirely out of training', () => {
    const p = pairs();
    const s = coldItems(p, { fraction: 0.25 }, { seed: 3 });
    const trainItems = new Set(Array.from(s.train, (q) => p.item[q]!));
    const testItems = new Set(Array.from(s.testPairs, (q) => p.item[q]!));
    expect(testItems.size).toBe(10); // round(0.25 * 40 items with pairs)
    for (const i of testItems) expect(trainItems.has(i)).toBe(false);
    expect(testItems.has(40)).toBe(false);
    expect(s.train.length + s.testPairs.length).toBe(p.user.length);
    // Every pair with a held-out item is a test pair.
    for (let q = 0; q < p.user.length; q++) expect(testItems.has(p.item[q]!)).toBe(!Array.from(s.train).includes(q));
    expect(s.protocol).toBe('cold-items-0.25');
    expect(Array.from(coldItems(p, { fraction: 0.25 }, { seed: 3 }).testPairs)).toEqual(Array.from(s.testPairs));
    expect(Array.from(coldItems(p, { fraction: 0.25 }, { seed: 4 }).testPairs)).not.toEqual(Array.from(s.testPairs));
  });

  it('parses, labels and describes the protocol; validation holds out items of the training pairs only', () => {
    const spec = parseProtocol('cold-items');
    expect(spec.split).toEqual({ kind: 'cold-items', fraction: 0.2 });
    expect(protocolLabel(parseProtocol('cold-items-0.3, sampled-50'))).toBe('cold-items-0.3, sampled-50');
    expect(() => parseProtocol('cold-items-1.5')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(describeProtocol(spec).join('\n')).toMatch(/items with interactions held out of training/);
    const p = pairs();
    const s = makeSplit(p, spec.split, { seed: 1 });
    const v = validationSplit(s);
    const heldOut = new Set(Array.from(s.testPairs, (q) => p.item[q]!));
    for (const q of v.testPairs) expect(heldOut.has(p.item[q]!)).toBe(false);
    expect(v.testPairs.length).toBeGreaterThan(0);
  });
});
