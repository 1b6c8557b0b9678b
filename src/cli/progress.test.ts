import { describe, expect, it } from 'vitest';
import { createProgress, progressAmount } from './progress.js';

describe('progress lines', () => {
  it('counts items as they are and bytes of a file in MB', () => {
    expect(progressAmount({ phase: 'render images', done: 3, total: 2000 })).toBe('3/2000');
    expect(progressAmount({ phase: 'read events', done: 6_924_361, total: 6_924_361, unit: 'bytes' })).toBe('6.9/6.9 MB');
    expect(progressAmount({ phase: 'read rows', done: 2_500_000, total: 31_000_000, unit: 'bytes' })).toBe('2.5/31 MB');
  });

  it('prints one line per phase when stderr is not a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const p = createProgress({ stream });
    p.report({ phase: 'read events', done: 1_000_000, total: 6_924_361, unit: 'bytes' });
    p.report({ phase: 'read events', done: 6_924_361, total: 6_924_361, unit: 'bytes' });
    p.report({ phase: 'check images', done: 5, total: 2000 });
    p.stop();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^read events: 6\.9\/6\.9 MB in \d+\.\d s\n$/);
    expect(lines[1]).toMatch(/^check images: 5\/2000 in \d+\.\d s\n$/);
  });
});
