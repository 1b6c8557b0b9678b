/**
 * Compressed sparse rows: the user x item interaction matrix every
 * collaborative model trains on. Row r's entries are
 * indices[indptr[r] .. indptr[r+1]) with values in data; column indices are
 * sorted and unique within a row.
 */
export class CsrMatrix {
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {}

  get nnz(): number {
    return this.indices.length;
  }

  rowLength(r: number): number {
    return (this.indptr[r + 1] ?? 0) - (this.indptr[r] ?? 0);
  }

  /** Column indices of row r (a view, not a copy). */
  rowIndices(r: number): Int32Array {
    return this.indices.subarray(this.indptr[r] ?? 0, this.indptr[r + 1] ?? 0);
  }

  /** Values of row r (a view, not a copy). */
  rowValues(r: number): Float32Array {
    return this.data.subarray(this.indptr[r] ?? 0, this.indptr[r + 1] ?? 0);
  }

  /**
   * Builds from coordinate triples; duplicate (row, col) pairs are summed.
   * Entries with row/col out of range throw a RangeError.
   */
  static fromCoo(
    nRows: number,
    nCols: number,
    rows: ArrayLike<number>,
    cols: ArrayLike<number>,
    vals?: ArrayLike<number>,
  ): CsrMatrix {
    const n = rows.length;
    const counts = new Int32Array(nRows + 1);
    for (let k = 0; k < n; k++) {
      const r = rows[k] as number;
      const c = cols[k] as number;
      if (r < 0 || r >= nRows || c < 0 || c >= nCols) throw new RangeError(`entry (${r}, ${c}) outside ${nRows}x${nCols}`);
      counts[r + 1]!++;
    }
    for (let r = 0; r < nRows; r++) counts[r + 1]! += counts[r]!;
    const order = new Int32Array(n);
    const fill = counts.slice(0, nRows);
    for (let k = 0; k < n; k++) order[fill[rows[k] as number]!++] = k;
    // Sort each row's entries by column, then merge duplicates.
    const indptr = new Int32Array(nRows + 1);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    let out = 0;
    for (let r = 0; r < nRows; r++) {
      const start = counts[r]!;
      const end = counts[r + 1]!;
      const seg = Array.from(order.subarray(start, end)).sort((a, b) => (cols[a] as number) - (cols[b] as number));
      let last = -1;
      for (const k of seg) {
        const c = cols[k] as number;
        const v = vals === undefined ? 1 : (vals[k] as number);
        if (c === last) {
          data[out - 1]! += v;
        } else {
          indices[out] = c;
          data[out] = v;
          out++;
          last = c;
        }
      }
      indptr[r + 1] = out;
    }
    return new CsrMatrix(nRows, nCols, indptr, indices.slice(0, out), data.slice(0, out));
  }

  /** The transpose (items x users), also in CSR with sorted columns. */
  transpose(): CsrMatrix {
    const counts = new Int32Array(this.nCols + 1);
    for (let k = 0; k < this.indices.length; k++) counts[this.indices[k]! + 1]!++;
    for (let c = 0; c < this.nCols; c++) counts[c + 1]! += counts[c]!;
    const fill = counts.slice(0, this.nCols);
    const indices = new Int32Array(this.nnz);
    const data = new Float32Array(this.nnz);
    for (let r = 0; r < this.nRows; r++) {
      for (let k = this.indptr[r]!; k < this.indptr[r + 1]!; k++) {
        const dst = fill[this.indices[k]!]!++;
        indices[dst] = r;
        data[dst] = this.data[k]!;
      }
    }
    return new CsrMatrix(this.nCols, this.nRows, counts, indices, data);
  }

  /** A copy with every value replaced by f(value). */
  map(f: (v: number) => number): CsrMatrix {
    const data = new Float32Array(this.data.length);
    for (let k = 0; k < data.length; k++) data[k] = f(this.data[k]!);
    return new CsrMatrix(this.nRows, this.nCols, this.indptr, this.indices, data);
  }

  /** Number of nonzeros per column (item popularity when rows are users). */
  columnCounts(): Int32Array {
    const out = new Int32Array(this.nCols);
    for (let k = 0; k < this.indices.length; k++) out[this.indices[k]!]!++;
    return out;
  }

  has(r: number, c: number): boolean {
    let lo = this.indptr[r] ?? 0;
    let hi = (this.indptr[r + 1] ?? 0) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.indices[mid]!;
      if (v === c) return true;
      if (v < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
