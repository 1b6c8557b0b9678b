import { describe, expect, it } from 'vitest';
import { parseKeyValues } from './common.js';

describe('parseKeyValues', () => {
  it('converts numbers and booleans, keeps strings, and nests dotted keys', () => {
    expect(parseKeyValues('factors=64, alpha=2.5,binary=true,visual=dvbpr')).toEqual({ factors: 64, alpha: 2.5, binary: true, visual: 'dvbpr' });
    expect(parseKeyValues('cfConfig.factors=8,cfConfig.iterations=4,visualConfig.epochs=3,visualShare=0.25')).toEqual({
      cfConfig: { factors: 8, iterations: 4 },
      visualConfig: { epochs: 3 },
      visualShare: 0.25,
    });
  });

  it('rejects a part without "=", empty and prototype keys, and a value used as a group', () => {
    expect(() => parseKeyValues('factors')).toThrow(/expected key=value/);
    expect(() => parseKeyValues('a..b=1')).toThrow(/bad key/);
    expect(() => parseKeyValues('__proto__.polluted=1')).toThrow(/bad key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => parseKeyValues('cfConfig=1,cfConfig.factors=8')).toThrow(/already a value/);
  });
});
