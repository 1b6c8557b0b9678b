import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { airtimeTable, dataRate, timeOnAir } from './airtime.js';
import { catalogTag, decodeSlate, encodeSlate, slateSize } from './codec.js';

describe('compact slate codec', () => {
  it('round-trips ids and quantised scores and fits 51 bytes (EU868 DR0)', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 50; trial++) {
      const items = Array.from({ length: 10 }, () => rng.int(10_000));
      const scores = Array.from({ length: 10 }, (_, k) => 10 - k + rng.next());
      const enc = encodeSlate(items, scores, { maxBytes: 51, catalogTag: 0x5a });
      expect(enc.bytes.length).toBeLessThanOrEqual(51);
      expect(enc.count).toBe(10);
      expect(enc.truncated).toBe(false);
      const dec = decodeSlate(enc.bytes);
      expect(dec.items).toEqual(items);
      expect(dec.catalogTag).toBe(0x5a);
      expect(dec.truncated).toBe(false);
      expect(dec.scores[0]).toBe(1);
      expect(dec.scores[9]).toBe(0);
      const lo = Math.min(...scores);
      const span = Math.max(...scores) - lo;
      dec.scores.forEach((q, k) => expect(Math.abs(q - (scores[k]! - lo) / span)).toBeLessThanOrEqual(1 / 30 + 1e-12));
    }
  });

  it('shrinks the slate to what fits and says so (US915 DR0: 11 bytes)', () => {
    const items = [9000, 8000, 7000, 6000, 5000, 4000];
    const scores = [6, 5, 4, 3, 2, 1];
    const enc = encodeSlate(items, scores, { maxBytes: 11, catalogTag: 1 });
    // 2 header + 3 × 2-byte varints + 2 score bytes = 10; a 4th item would need 12
    expect(enc.bytes.length).toBe(10);
    expect(enc.count).toBe(3);
    expect(enc.truncated).toBe(true);
    const dec = decodeSlate(enc.bytes);
    expect(dec.items).toEqual([9000, 8000, 7000]);
    expect(dec.truncated).toBe(true);
    expect(slateSize([1, 2, 3, 4])).toBe(2 + 4 + 2);
  });

  it('fills 51 bytes with up to 31 items of small indices', () => {
    const items = Array.from({ length: 40 }, (_, k) => k);
    const enc = encodeSlate(items, items.map((k) => -k), { maxBytes: 51, catalogTag: 0 });
    expect(enc.count).toBe(31);
    expect(enc.bytes.length).toBeLessThanOrEqual(51);
    expect(decodeSlate(enc.bytes).items).toEqual(items.slice(0, 31));
  });

  it('encodes a single item and an empty slate', () => {
    expect(decodeSlate(encodeSlate([300], [0.4], { maxBytes: 51, catalogTag: 2 }).bytes)).toEqual({ version: 1, truncated: false, catalogTag: 2, items: [300], scores: [1] });
    expect(decodeSlate(encodeSlate([], [], { maxBytes: 11, catalogTag: 2 }).bytes).items).toEqual([]);
  });

  it('rejects corrupt payloads', () => {
    const good = encodeSlate([1, 200], [2, 1], { maxBytes: 51, catalogTag: 3 }).bytes;
    expect(() => decodeSlate(good.slice(0, good.length - 1))).toThrow(/should be|ends inside/);
    expect(() => decodeSlate(Uint8Array.of(0x02, 0))).toThrow(/version/);
    expect(() => decodeSlate(Uint8Array.of(0x41))).toThrow(/too short/);
    expect(() => decodeSlate(Uint8Array.from([...good, 0]))).toThrow(/should be/);
  });

  it('tags a catalog by its ids', () => {
    expect(catalogTag(['a', 'b'])).toBe(catalogTag(['a', 'b']));
    expect(catalogTag(['a', 'b'])).not.toBe(catalogTag(['b', 'a']));
  });
});

describe('LoRa time on air', () => {
  // Known values: AN1200.13 calculator sheet (13 bytes, SF9: 164.864 ms, 28 payload symbols),
  // rfwireless-world (10 bytes SF7: 41.216 ms; SF11 with LDRO: 577.536 ms), TTN airtime calculator
  // (51 application bytes + 13 framing: SF12 2793.5 ms, SF7 118.0 ms).
  it('matches published calculators', () => {
    expect(timeOnAir(13, { sf: 9 }).totalMs).toBeCloseTo(164.864, 3);
    expect(timeOnAir(13, { sf: 9 }).payloadSymbols).toBe(28);
    expect(timeOnAir(10, { sf: 7 }).totalMs).toBeCloseTo(41.216, 3);
    expect(timeOnAir(10, { sf: 11 }).totalMs).toBeCloseTo(577.536, 3);
    const table = airtimeTable(51);
    expect(table.find((r) => r.sf === 12)!.ms).toBeCloseTo(2793.472, 3);
    expect(table.find((r) => r.sf === 7)!.ms).toBeCloseTo(118.016, 3);
    expect(table.map((r) => r.sf)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('knows the slowest data rates and their payload limits', () => {
    expect(dataRate('EU868', 0)).toMatchObject({ sf: 12, maxPayload: 51 });
    expect(dataRate('US915', 0)).toMatchObject({ sf: 10, maxPayload: 11 });
    expect(() => dataRate('AS923', 0)).toThrow(/region/);
    expect(() => dataRate('EU868', 9)).toThrow(/DR9/);
  });
});
