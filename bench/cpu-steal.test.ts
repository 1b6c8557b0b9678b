import { describe, expect, it } from 'vitest';
import { cpuMeter } from './cpu-steal.js';

describe('cpuMeter', () => {
  it("measures a process's CPU time per request (Linux /proc)", () => {
    const meter = cpuMeter(process.pid);
    const t0 = performance.now();
    let x = 0;
    while (performance.now() - t0 < 120) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    // ~120 ms of CPU over 10 "requests": ~12 ms each (ticks are 10 ms, and the host may take some)
    const perRequest = meter.stop(10)!;
    expect(perRequest).toBeGreaterThan(5);
    expect(perRequest).toBeLessThan(30);
  });

  it('gives null without a process or requests', () => {
    expect(cpuMeter(undefined).stop(5)).toBeNull();
    expect(cpuMeter(process.pid).stop(0)).toBeNull();
  });
});
