import { describe, expect, it } from 'vitest';
import { runDcganBench } from './dcgan.js';

describe('runDcganBench', () => {
  it('times the step on each setup and says when the PyTorch peer is missing', async () => {
    const r = await runDcganBench({
      runs: 1, warmup: 0, threads: [1], peers: '/nonexistent-peers',
      config: { batch: 2, image: 8, channels: 3, latent: 4, width: 2 },
    });
    expect(r.suite).toBe('dcgan');
    expect(r.rows[0]!.setup).toMatch(/plain wasm/);
    expect(r.rows.every((row) => (row.stepMedianS as number) > 0)).toBe(true);
    expect(r.notes.some((n) => /torch_dcgan_step\.py not found/.test(n))).toBe(true);
    expect(r.protocol[0]).toMatch(/batch 2, 8x8x3/);
  });
});
