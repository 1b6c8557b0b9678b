import { CsrMatrix } from '../data/csr.js';
import type { ItemContent, NumericField } from '../data/item-content.js';
import { tfidf } from './tfidf.js';

/**
 * Item vectors for the content model (paper 000, section 3.2, content-based
 * filtering on item attributes): three blocks, each L2-normalised per item,
 * weighted, then the whole vector L2-normalised, so a dot product is a cosine.
 * - categorical: one-hot per field (category, colour, ...);
 * - numeric: each field (price, ...) one-hot over quantile bins, so "similar
 *   price" is a shared feature whatever the currency or scale;
 * - text: TF-IDF of title and caption (tfidf.ts).
 * Missing values contribute nothing; an item with no features is a zero row.
 */
export interface ContentFeatureOptions {
  categoricalWeight: number;
  numericWeight: number;
  textWeight: number;
  numericBins: number;
  maxVocab: number;
  minDf: number;
}

/** items x features, rows L2-normalised (or empty). */
export function buildItemFeatures(content: ItemContent, opts: ContentFeatureOptions): CsrMatrix {
  const n = content.nItems;
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  let offset = 0;
  const addBlock = (block: { cols: number[]; vals: number[] }[], width: number, weight: number): void => {
    if (weight > 0) {
      block.forEach((b, i) => {
        const norm = Math.hypot(...b.vals);
        if (norm > 0) b.cols.forEach((c, t) => rows[i]!.set(offset + c, (weight * b.vals[t]!) / norm));
      });
    }
    offset += width;
  };
  const cat = categoricalBlock(content);
  addBlock(cat.block, cat.width, opts.categoricalWeight);
  const num = numericBlock(content.numeric, n, opts.numericBins);
  addBlock(num.block, num.width, opts.numericWeight);
  const text = tfidf(content.text, opts);
  addBlock(
    text.rows.map((r) => ({ cols: r.terms, vals: r.weights })),
    text.vocab.length,
    opts.textWeight,
  );
  return toNormalisedCsr(rows, offset);
}

function categoricalBlock(content: ItemContent): { block: { cols: number[]; vals: number[] }[]; width: number } {
  const block = Array.from({ length: content.nItems }, () => ({ cols: [] as number[], vals: [] as number[] }));
  let width = 0;
  for (const field of content.categorical) {
    field.codes.forEach((code, i) => {
      if (code >= 0) {
        block[i]!.cols.push(width + code);
        block[i]!.vals.push(1);
      }
    });
    width += field.vocab.length;
  }
  return { block, width };
}

function numericBlock(fields: readonly NumericField[], n: number, bins: number): { block: { cols: number[]; vals: number[] }[]; width: number } {
  const block = Array.from({ length: n }, () => ({ cols: [] as number[], vals: [] as number[] }));
  let width = 0;
  for (const field of fields) {
    const edges = quantileEdges(field.values, bins);
    field.values.forEach((v, i) => {
      if (Number.isNaN(v)) return;
      block[i]!.cols.push(width + binOf(edges, v));
      block[i]!.vals.push(1);
    });
    width += bins;
  }
  return { block, width };
}

/** The bins - 1 inner quantile edges of the non-missing values. */
export function quantileEdges(values: Float32Array, bins: number): Float64Array {
  const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  const edges = new Float64Array(Math.max(bins - 1, 0));
  for (let b = 1; b < bins && sorted.length > 0; b++) edges[b - 1] = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
  return edges;
}

/** Number of edges <= v: the bin of v in [0, edges.length]. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toNormalisedCsr(rows: Map<number, number>[], width: number): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i]! + r.size));
  const indices = new Int32Array(indptr[rows.length]!);
  const data = new Float32Array(indices.length);
  rows.forEach((r, i) => {
    const cols = [...r.keys()].sort((a, b) => a - b);
    const norm = Math.hypot(...r.values());
    cols.forEach((c, t) => {
      indices[indptr[i]! + t] = c;
      data[indptr[i]! + t] = r.get(c)! / norm;
    });
  });
  return new CsrMatrix(rows.length, width, indptr, indices, data);
}
