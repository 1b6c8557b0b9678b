import { describe, expect, it } from 'vitest';
import { runWorldBench } from './world.js';

describe('runWorldBench', () => {
  it('reports generation, writing and rendering figures', async () => {
    const r = await runWorldBench({ runs: 1, sizes: { items: 50, shoppers: 20, days: 3, images: 6, demo: false } });
    expect(r.suite).toBe('world');
    expect(r.rows.map((row) => row.task)).toEqual(['generate', 'write (lazy images)', 'render images']);
    expect(r.rows[0]!.events).toBeGreaterThan(0);
    expect(r.rows[2]!.imagesPerSec).toBeGreaterThan(0);
    expect(r.notes.length).toBeGreaterThan(0);
  });
});
