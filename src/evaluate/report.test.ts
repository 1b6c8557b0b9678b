import { describe, expect, it } from 'vitest';
import { describeProtocol, formatTable } from './report.js';
import { parseProtocol } from './protocol.js';

describe('formatTable', () => {
  it('aligns text left and numbers right, with dotted keys and missing values', () => {
    const rows = [
      { model: 'pop', 'hr@10': 0.0498, fitSeconds: 0.0004, cold: { 'hr@10': 0.1 } },
      { model: 'als', 'hr@10': Number.NaN, fitSeconds: 12.5, cold: {} },
    ];
    const table = formatTable(rows, [
      'model',
      'hr@10',
      { key: 'cold.hr@10', header: 'cold hr@10' },
      { key: 'fitSeconds', header: 'fit s', format: (v) => (v as number).toFixed(2) },
    ]);
    expect(table.split('\n')).toEqual([
      'model  hr@10   cold hr@10  fit s',
      '-----  ------  ----------  -----',
      'pop    0.0498      0.1000   0.00',
      'als         -           -  12.50',
    ]);
  });
});

describe('describeProtocol', () => {
  it('states the split, signal, candidates and counts', () => {
    const lines = describeProtocol(parseProtocol('leave-last-out'), { binary: true }, { trainPairs: 99057, testPairs: 943, users: 943 });
    expect(lines[0]).toBe('protocol: leave-last-out');
    expect(lines.join('\n')).toMatch(/value 1/);
    expect(lines.join('\n')).toMatch(/full ranking/);
    expect(lines.at(-1)).toBe('counts: 943 test pairs (943 shoppers), 99057 training pairs');
    expect(describeProtocol(parseProtocol('random, sampled-100')).join('\n')).toMatch(/100 sampled/);
  });
});
