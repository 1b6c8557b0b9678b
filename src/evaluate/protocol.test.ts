import { describe, expect, it } from 'vitest';
import { parseProtocol, protocolLabel, sampledCandidates } from './protocol.js';

describe('parseProtocol and protocolLabel', () => {
  it('parses split names with defaults and sampled candidates', () => {
    expect(parseProtocol('leave-last-out')).toEqual({ split: { kind: 'leave-last-out' }, candidates: { kind: 'full' } });
    expect(parseProtocol('random').split).toEqual({ kind: 'random', testFraction: 0.2 });
    expect(parseProtocol('stratified-0.25').split).toEqual({ kind: 'stratified', testFraction: 0.25 });
    expect(parseProtocol('time-cutoff').split).toEqual({ kind: 'time-cutoff', fraction: 0.8 });
    expect(parseProtocol('time-cutoff@2020-01-01').split).toEqual({ kind: 'time-cutoff', at: Date.UTC(2020, 0, 1) });
    expect(parseProtocol('leave-last-out, sampled-100').candidates).toEqual({ kind: 'sampled', n: 100 });
    expect(parseProtocol('random-0.1+sampled-50').candidates).toEqual({ kind: 'sampled', n: 50 });
  });

  it('labels sampled protocols and round-trips the label', () => {
    const spec = parseProtocol('leave-last-out, sampled-100');
    expect(protocolLabel(spec)).toBe('leave-last-out, sampled-100');
    expect(protocolLabel(parseProtocol('random-0.3'))).toBe('random-0.3');
    expect(parseProtocol(protocolLabel(parseProtocol('time-cutoff-0.7')))).toEqual(parseProtocol('time-cutoff-0.7'));
  });

  it('rejects unknown protocols', () => {
    expect(() => parseProtocol('k-fold')).toThrow(/unknown protocol/);
    expect(() => parseProtocol('random-1.5')).toThrow(/unknown protocol/);
    expect(() => parseProtocol('leave-last-out, sampled-x')).toThrow(/unknown protocol/);
  });
});

describe('sampledCandidates', () => {
  const train = Int32Array.from([0, 1, 2, 3]);
  const relevant = Int32Array.from([7]);

  it('draws n unseen negatives plus the relevant items, seeded per shopper', () => {
    const c = sampledCandidates(5, train, relevant, 1000, 100, 42);
    expect(c.length).toBe(101);
    expect(c.includes(7)).toBe(true);
    for (const t of train) expect(c.includes(t)).toBe(false);
    expect([...c]).toEqual([...c].sort((a, b) => a - b));
    expect([...sampledCandidates(5, train, relevant, 1000, 100, 42)]).toEqual([...c]);
    expect([...sampledCandidates(6, train, relevant, 1000, 100, 42)]).not.toEqual([...c]);
  });

  it('takes every unseen item when fewer than n remain', () => {
    // 10 items, 4 in training, 1 relevant -> 5 negatives available
    const c = sampledCandidates(0, train, relevant, 10, 100, 1);
    expect([...c]).toEqual([4, 5, 6, 7, 8, 9]);
    // small pool path: 3 of the 5 available
    expect(sampledCandidates(0, train, relevant, 10, 3, 1).length).toBe(4);
  });
});
