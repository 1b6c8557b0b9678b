import { CsrMatrix } from '../data/csr.js';
import type { ItemContent } from '../data/item-content.js';
import type { Item } from '../data/schema.js';
import { fitTfidf, termIndex, tfidfRow, tokenize, type TfidfSpace } from './tfidf.js';

/**
 * Item vectors for the content model (paper 000, section 3.2, content-based
 * filtering on item attributes): three blocks, each L2-normalised per item,
 * weighted, then the whole vector L2-normalised, so a dot product is a cosine.
 * - categorical: one-hot per field (category, colour, ...);
 * - numeric: each field (price, ...) one-hot over quantile bins, so "similar
 *   price" is a shared feature whatever the currency or scale;
 * - text: TF-IDF of title and caption (tfidf.ts).
 * Missing values contribute nothing; an item with no features is a zero row.
 *
 * The fitted feature space (ContentSpace: each field's values, the bin
 * edges, the text vocabulary and idf) is kept, so a product added after
 * training gets its vector by the same code (itemFeatureRow): a training
 * item's row computed that way equals its row in the matrix.
 */
export interface ContentFeatureOptions {
  categoricalWeight: number;
  numericWeight: number;
  textWeight: number;
  numericBins: number;
  maxVocab: number;
  minDf: number;
}

/** What the features were fitted on: enough to featurise a new item. Plain JSON. */
export interface ContentSpace {
  categorical: { name: string; vocab: string[] }[];
  /** Inner quantile edges per numeric field (numericBins - 1 of them). */
  numeric: { name: string; edges: number[] }[];
  text: TfidfSpace;
  weights: { categorical: number; numeric: number; text: number };
}

/** One item's sparse unit vector (columns ascending). */
export interface FeatureRow {
  indices: Int32Array;
  data: Float32Array;
}

/** An item in the space's terms: a code per categorical field (-1 missing), a float32 value per numeric field (NaN missing), its text tokens. */
interface Encoded {
  codes: readonly number[];
  values: readonly number[];
  tokens: readonly string[];
}

/** items x features, rows L2-normalised (or empty). */
export function buildItemFeatures(content: ItemContent, opts: ContentFeatureOptions): CsrMatrix {
  return buildContentFeatures(content, opts).features;
}

/** The item vectors and the space they live in. */
export function buildContentFeatures(content: ItemContent, opts: ContentFeatureOptions): { features: CsrMatrix; space: ContentSpace } {
  const docs = content.text.map(tokenize);
  const space: ContentSpace = {
    categorical: content.categorical.map((f) => ({ name: f.name, vocab: [...f.vocab] })),
    numeric: content.numeric.map((f) => ({ name: f.name, edges: Array.from(quantileEdges(f.values, opts.numericBins)) })),
    text: fitTfidf(docs, opts),
    weights: { categorical: opts.categoricalWeight, numeric: opts.numericWeight, text: opts.textWeight },
  };
  const compiled = new CompiledSpace(space);
  const rows = docs.map((tokens, i) => compiled.row({
    codes: content.categorical.map((f) => f.codes[i]!),
    values: content.numeric.map((f) => f.values[i]!),
    tokens,
  }));
  return { features: toCsr(rows, compiled.width), space };
}

/** The vector of a product in a fitted space, by the rules of buildItemContent (category and string attributes categorical, price and number attributes numeric, title and caption text); values the space never saw contribute nothing. */
export function itemFeatureRow(space: CompiledSpace, item: Item): FeatureRow {
  const { cols, vals } = space.row(space.encode(item));
  return { indices: Int32Array.from(cols), data: Float32Array.from(vals) };
}

/** A ContentSpace with its look-up tables and column offsets. */
export class CompiledSpace {
  readonly width: number;
  private readonly catIndex: Map<string, number>[];
  private readonly catOffset: number[] = [];
  private readonly numOffset: number[] = [];
  private readonly textOffset: number;
  private readonly terms: Map<string, number>;

  constructor(readonly space: ContentSpace) {
    let w = 0;
    this.catIndex = space.categorical.map((f) => {
      this.catOffset.push(w);
      w += f.vocab.length;
      return new Map(f.vocab.map((v, k) => [v, k]));
    });
    for (const f of space.numeric) {
      this.numOffset.push(w);
      w += f.edges.length + 1;
    }
    this.textOffset = w;
    this.width = w + space.text.vocab.length;
    this.terms = termIndex(space.text);
  }

  encode(item: Item): Encoded {
    return {
      codes: this.space.categorical.map((f, k) => {
        const raw = f.name === 'category' ? item.category : item.attributes[f.name];
        return typeof raw === 'string' && raw !== '' ? (this.catIndex[k]!.get(raw) ?? -1) : -1;
      }),
      values: this.space.numeric.map((f) => {
        const raw = f.name === 'price' ? item.price : item.attributes[f.name];
        return typeof raw === 'number' && Number.isFinite(raw) ? Math.fround(raw) : Number.NaN;
      }),
      tokens: tokenize(`${item.title}. ${item.caption}`.trim()),
    };
  }

  /** The unit vector: blocks in order (categorical, numeric, text), each normalised and weighted, then the whole. */
  row(e: Encoded): { cols: number[]; vals: number[] } {
    const entries = new Map<number, number>();
    const { weights } = this.space;
    const addBlock = (cols: readonly number[], vals: readonly number[], weight: number): void => {
      if (weight <= 0) return;
      const norm = Math.hypot(...vals);
      if (norm > 0) cols.forEach((c, t) => entries.set(c, (weight * vals[t]!) / norm));
    };
    const catCols: number[] = [];
    e.codes.forEach((code, k) => { if (code >= 0) catCols.push(this.catOffset[k]! + code); });
    addBlock(catCols, catCols.map(() => 1), weights.categorical);
    const numCols: number[] = [];
    e.values.forEach((v, k) => { if (!Number.isNaN(v)) numCols.push(this.numOffset[k]! + binOf(this.space.numeric[k]!.edges, v)); });
    addBlock(numCols, numCols.map(() => 1), weights.numeric);
    const text = tfidfRow(this.space.text, this.terms, e.tokens);
    addBlock(text.terms.map((t) => this.textOffset + t), text.weights, weights.text);
    const cols = [...entries.keys()].sort((a, b) => a - b);
    const norm = Math.hypot(...entries.values());
    return { cols, vals: cols.map((c) => entries.get(c)! / norm) };
  }
}

/** The bins - 1 inner quantile edges of the non-missing values. */
export function quantileEdges(values: Float32Array, bins: number): Float64Array {
  const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  const edges = new Float64Array(Math.max(bins - 1, 0));
  for (let b = 1; b < bins && sorted.length > 0; b++) edges[b - 1] = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
  return edges;
}

/** Number of edges <= v: the bin of v in [0, edges.length]. */
function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toCsr(rows: { cols: number[]; vals: number[] }[], width: number): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i]! + r.cols.length));
  const indices = new Int32Array(indptr[rows.length]!);
  const data = new Float32Array(indices.length);
  rows.forEach((r, i) => {
    indices.set(r.cols, indptr[i]!);
    data.set(r.vals, indptr[i]!);
  });
  return new CsrMatrix(rows.length, width, indptr, indices, data);
}
