import { describe, expect, it } from 'vitest';
import { ClassicEncoder } from '../src/vision/classic-encoder.js';
import { encoderPrepareOptions } from '../src/vision/encoder.js';
import { runSearchBench } from './search.js';
import { evaluateRetrieval } from './search-eval.js';
import { drawQueryProducts, worldRelevanceKey, worldSearchSet } from './search-world.js';

const silent = (): void => undefined;

describe('runSearchBench', () => {
  it('reports P@10 and mAP@10 in [0, 1] for the classic and CNN encoders on a tiny world', async () => {
    const r = await runSearchBench({ quick: true, datasets: ['world'], worldItems: 60, queries: 20 });
    expect(r.suite).toBe('search');
    // The exact-attribute relevance first, then looser ones (category, colour, pattern alone) for context.
    const exact = r.rows.filter((row) => row.relevance === 'category+colour+pattern');
    expect(exact.map((row) => row.encoder)).toEqual(['classic', 'cnn']);
    for (const row of r.rows) {
      expect(row.dataset).toBe('world');
      for (const m of ['precision@10', 'map@10', 'pCeiling'] as const) {
        expect(row[m]).toBeGreaterThanOrEqual(0);
        expect(row[m]).toBeLessThanOrEqual(1);
      }
      // P@10 can never beat the share of the top 10 that relevant products could fill.
      expect(row['precision@10']).toBeLessThanOrEqual((row.pCeiling as number) + 1e-9);
      if (row.relevance === 'category+colour+pattern') expect((row.queries as number) + (row.noRelevant as number)).toBe(20);
      expect(row.catalog).toBe(60);
      expect(row.indexS).toBeGreaterThanOrEqual(0);
    }
    expect(exact[0]!.trainS).toBeNull();
    expect(exact[1]!.trainS).toBeGreaterThan(0);
    expect(r.protocol.join('\n')).toMatch(/0\.886/);
  }, 30_000);

  it('skips H&M with a note when the datasets folder is missing', async () => {
    const r = await runSearchBench({ datasets: ['hm'], data: '/nonexistent-datasets' });
    expect(r.rows).toEqual([]);
    expect(r.notes.some((n) => /H&M subset skipped/.test(n))).toBe(true);
  });
});

describe('search bench parts', () => {
  it('finds each catalog image first when it is its own query (classic encoder), and scores by the AP@k definition', async () => {
    const set = await worldSearchSet({ items: 30, seed: 7, queries: 4, querySeed: 8 }, silent);
    const enc = new ClassicEncoder();
    const { catalog } = await set.images(encoderPrepareOptions(enc), silent);
    const ids = set.catalogItems.map((it) => it.id);
    const r = await evaluateRetrieval(enc, catalog, catalog, [{ name: 'same product', catalog: ids, queries: ids }], 10);
    const s = r.scores[0]!;
    // One relevant product per query: AP@10 = 1 / its rank, so mAP@10 = 1 only if every duplicate ranks first.
    expect(s['map@k']).toBe(1);
    expect(s['precision@k']).toBeCloseTo(0.1, 10);
    expect(s.precisionCeiling).toBeCloseTo(0.1, 10);
    expect(s.queries).toBe(30);
  });

  it('draws query products that are not catalog products and keys relevance on category, colour and pattern', () => {
    const q = drawQueryProducts(5, 8);
    expect(q.map((p) => p.id)).toEqual(['q000001', 'q000002', 'q000003', 'q000004', 'q000005']);
    expect(drawQueryProducts(5, 8)).toEqual(q);
    expect(worldRelevanceKey(q[0]!)).toBe(`${q[0]!.category}|${String(q[0]!.attributes.primaryColour)}|${String(q[0]!.attributes.pattern)}`);
  });
});
