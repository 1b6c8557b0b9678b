import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { isVitrineError } from '../../core/errors.js';
import { productCaption, productTitle } from './captions.js';
import { drawCatalog } from './products.js';
import { CATEGORY_NOUNS, COLOUR_WORDS, PATTERN_WORDS, SHAPE_WORDS } from './phrases.js';
import { isCategory, shapeFieldsOf, type Colour, type Pattern } from './vocabulary.js';

const START = Date.UTC(2026, 0, 1);

describe('captions', () => {
  const { items } = drawCatalog(500, 7, START, 30);

  it('name the category (or its shape noun), primary colour, pattern and every shape field', () => {
    for (const it of items) {
      const cap = it.caption.toLowerCase();
      if (!isCategory(it.category)) throw new Error('bad category');
      const fields = shapeFieldsOf(it.category);
      const nouns = [...CATEGORY_NOUNS[it.category], ...fields.flatMap((f) => SHAPE_WORDS[f][String(it.attributes[f])]?.noun ?? [])];
      expect(nouns.some((n) => cap.includes(n.toLowerCase())), it.caption).toBe(true);
      expect(COLOUR_WORDS[it.attributes.primaryColour as Colour].some((c) => cap.includes(c)), it.caption).toBe(true);
      const pw = PATTERN_WORDS[it.attributes.pattern as Pattern];
      if (it.attributes.pattern !== 'solid') {
        const forms = [...pw.adj, ...pw.with.map((w) => w.split('{c}')[1]!.trim())].filter((w) => w !== '');
        expect(forms.some((w) => cap.includes(w.toLowerCase())), it.caption).toBe(true);
      }
      for (const f of fields) {
        const w = SHAPE_WORDS[f][String(it.attributes[f])]!;
        // "with" is said once for several clauses, so look for the clause without it.
        const forms = [...w.adj, ...w.with.map((s) => s.replace(/^with /, '')), ...(w.noun ?? [])].map((s) => s.toLowerCase());
        expect(forms.some((s) => cap.includes(s)), `${f} in "${it.caption}"`).toBe(true);
      }
    }
  });

  it('vary in phrasing for the same attributes', () => {
    const p = items[0]!;
    const captions = new Set(Array.from({ length: 30 }, (_, k) => productCaption(p, new Rng(k))));
    expect(captions.size).toBeGreaterThan(8);
    const starts = new Set(items.map((i) => i.caption.split(' ')[0]));
    expect(starts.size).toBeGreaterThan(10);
  });

  it('are deterministic for an rng and read as sentences', () => {
    const p = items[3]!;
    expect(productCaption(p, new Rng(5))).toBe(productCaption(p, new Rng(5)));
    for (const it of items.slice(0, 50)) {
      expect(it.caption).toMatch(/^[A-Z].*\.$/);
      expect(it.caption).not.toMatch(/\s{2}|\s[,.]|undefined/);
    }
  });

  it('give short titles from the canonical words', () => {
    const title = productTitle({ category: 'dress', attributes: { primaryColour: 'red', secondaryColour: 'white', pattern: 'dots', sleeveLength: 'short', hemLength: 'midi' }, price: 50 });
    expect(title).toBe('Red Polka-dot Short-sleeved Dress');
  });

  it('fail with INVALID_ARGUMENT on unknown attributes', () => {
    try {
      productTitle({ category: 'spaceship', attributes: {}, price: null });
      expect.unreachable();
    } catch (e) {
      expect(isVitrineError(e) && e.code).toBe('INVALID_ARGUMENT');
    }
  });
});
