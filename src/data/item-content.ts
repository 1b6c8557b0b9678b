import type { Item } from './schema.js';

/**
 * Item attributes and text encoded for the models (paper 000, section 3.1:
 * "categorical data like product categories ... are encoded into a numerical
 * format"). Aligned with item indices; an item without a catalog row has
 * every code -1, every number NaN and empty text.
 */
export interface CategoricalField {
  name: string;
  /** vocab[code] is the original value. */
  vocab: string[];
  /** codes[itemIdx] in 0..vocab.length-1, or -1 when missing. */
  codes: Int32Array;
}

export interface NumericField {
  name: string;
  /** values[itemIdx], NaN when missing. */
  values: Float32Array;
}

export interface ItemContent {
  nItems: number;
  categorical: CategoricalField[];
  numeric: NumericField[];
  /** Title and caption per item, for text features. */
  text: string[];
}

/** Encodes `category`, every string attribute (categorical) and price plus every numeric attribute (numeric). */
export function buildItemContent(itemInfo: readonly (Item | undefined)[]): ItemContent {
  const n = itemInfo.length;
  const catNames = new Set<string>(['category']);
  const numNames = new Set<string>(['price']);
  for (const it of itemInfo) {
    if (it === undefined) continue;
    for (const [k, v] of Object.entries(it.attributes)) (typeof v === 'number' ? numNames : catNames).add(k);
  }
  const categorical: CategoricalField[] = [...catNames].sort().map((name) => {
    const vocab: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(n).fill(-1);
    itemInfo.forEach((it, i) => {
      const raw = it === undefined ? undefined : name === 'category' ? it.category : it.attributes[name];
      if (typeof raw !== 'string' || raw === '') return;
      let code = index.get(raw);
      if (code === undefined) {
        code = vocab.length;
        vocab.push(raw);
        index.set(raw, code);
      }
      codes[i] = code;
    });
    return { name, vocab, codes };
  });
  const numeric: NumericField[] = [...numNames].sort().map((name) => {
    const values = new Float32Array(n).fill(Number.NaN);
    itemInfo.forEach((it, i) => {
      const raw = it === undefined ? undefined : name === 'price' ? it.price : it.attributes[name];
      if (typeof raw === 'number' && Number.isFinite(raw)) values[i] = raw;
    });
    return { name, values };
  });
  const text = itemInfo.map((it) => (it === undefined ? '' : `${it.title}. ${it.caption}`.trim()));
  return { nItems: n, categorical, numeric, text };
}
