import usearch from 'usearch';
import { TopKHeap } from '../engine/cf/select.js';

/**
 * Exact (brute-force) maximum-inner-product search: the truth the HNSW path
 * is measured against, and the path small catalogs use outright. For unit
 * vectors the inner product is the cosine. Two implementations that agree
 * (conventions.md #5): usearch's SIMD scan (fastExactTopK, what indexes
 * use; 5-20x faster at 448 dimensions) and a plain TypeScript scan
 * (exactTopK, the reference).
 */

/** Rows of `matrix` (n x dim) by inner product with `query`, best first, through usearch's exact SIMD scan on one thread. */
export function fastExactTopK(matrix: Float32Array, n: number, dim: number, query: Float32Array, k: number): { rows: Int32Array; scores: Float32Array } {
  const count = Math.min(k, n);
  if (count === 0) return { rows: new Int32Array(0), scores: new Float32Array(0) };
  // usearch 2.25's exactSearch reads typed arrays from the start of their ArrayBuffer, ignoring
  // byteOffset (lib.cpp takes ArrayBuffer().Data()): views that do not start there are copied.
  const data = matrix.byteOffset === 0 ? matrix.subarray(0, n * dim) : matrix.slice(0, n * dim);
  const q = query.byteOffset === 0 ? query : query.slice();
  const m = usearch.exactSearch(data, q, dim, count, usearch.MetricKind.IP, 1);
  // usearch's "ip" distance is 1 - dot.
  return { rows: Int32Array.from(m.keys, Number), scores: Float32Array.from(m.distances, (d) => 1 - d) };
}

/** Rows of `matrix` (n x dim, row-major) by similarity to `query`, best first: { rows, scores }. */
export function exactTopK(matrix: Float32Array, n: number, dim: number, query: Float32Array, k: number): { rows: Int32Array; scores: Float32Array } {
  const heap = new TopKHeap(Math.min(k, n));
  for (let r = 0; r < n; r++) heap.offer(r, dotRow(matrix, r * dim, query, dim));
  const rows = new Int32Array(heap.size);
  const scores = new Float32Array(heap.size);
  heap.drainInto(rows, scores);
  return { rows, scores };
}

/** matrix[off .. off + dim) · q, unrolled by four (independent accumulators). */
export function dotRow(matrix: Float32Array, off: number, q: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += matrix[off + j]! * q[j]!;
    s1 += matrix[off + j + 1]! * q[j + 1]!;
    s2 += matrix[off + j + 2]! * q[j + 2]!;
    s3 += matrix[off + j + 3]! * q[j + 3]!;
  }
  for (; j < dim; j++) s0 += matrix[off + j]! * q[j]!;
  return s0 + s1 + s2 + s3;
}
