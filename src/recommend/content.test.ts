import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../data/csr.js';
import type { ItemContent } from '../data/item-content.js';
import { ContentModel } from './content.js';
import { buildItemFeatures, quantileEdges } from './content-features.js';
import { tfidf, tokenize } from './tfidf.js';

const content: ItemContent = {
  nItems: 4,
  categorical: [{ name: 'category', vocab: ['dress', 'boots'], codes: Int32Array.of(0, 0, 1, -1) }],
  numeric: [{ name: 'price', values: Float32Array.of(20, 25, 200, NaN) }],
  text: ['Red silk dress', 'red silk evening dress', 'Leather boots, black', ''],
};
// Shopper 0 bought item 0; item 1 (a red silk dress) has no interactions at all.
const ui = CsrMatrix.fromCoo(2, 4, [0, 1], [0, 2]);

describe('content features', () => {
  it('tokenises to lower-case words without stop words', () => {
    expect(tokenize('The Red-silk dress, a 2nd one!')).toEqual(['red', 'silk', 'dress', '2nd', 'one']);
  });

  it('weights rarer terms higher (smoothed idf)', () => {
    const r = tfidf(['red dress', 'red boots', 'red hat'], { maxVocab: 100, minDf: 1 });
    const row = r.rows[0]!;
    const w = (t: string): number => row.weights[row.terms.indexOf(r.vocab.indexOf(t))]!;
    expect(w('dress')).toBeGreaterThan(w('red'));
  });

  it('bins numbers by quantile', () => {
    expect(Array.from(quantileEdges(Float32Array.of(1, 2, 3, 4, NaN), 2))).toEqual([3]);
  });

  it('gives unit-length rows, and an empty row to an item with nothing known', () => {
    const f = buildItemFeatures(content, { categoricalWeight: 1, numericWeight: 0.5, textWeight: 1, numericBins: 2, maxVocab: 100, minDf: 1 });
    for (let i = 0; i < 3; i++) expect(Math.hypot(...f.rowValues(i))).toBeCloseTo(1, 6);
    expect(f.rowLength(3)).toBe(0);
  });
});

describe('content model', () => {
  it('refuses to fit without item content', async () => {
    await expect(new ContentModel().fit({ ui })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/content/) });
  });

  it('ranks an item nobody has interacted with by its attributes', async () => {
    const m = new ContentModel();
    await m.fit({ ui, content });
    const s = m.scoreUser(0);
    expect(s[1]).toBeGreaterThan(0.5);
    expect(s[1]).toBeGreaterThan(s[2]!);
    expect(s[3]).toBe(0);
    expect(Array.from(m.scoreHistory(Int32Array.of(0), Float32Array.of(3)))).toEqual(Array.from(s));
  });
});
