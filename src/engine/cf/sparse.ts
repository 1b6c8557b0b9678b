/**
 * out[r] = Σ_q data[q] · x[indices[q]] over row r of a CSR matrix (rows
 * 0..nRows-1): the content model scores every product as the dot of its
 * sparse feature row with a shopper's profile. The reference twin of the
 * native csrMatVec (native/src/sparse.c); accumulates in float64.
 */
export function csrMatVec(indptr: Int32Array, indices: Int32Array, data: Float32Array, x: Float32Array, nRows: number, out: Float32Array): void {
  if (indptr.length < nRows + 1 || out.length < nRows) throw new RangeError('csrMatVec: shapes do not match');
  for (let r = 0; r < nRows; r++) {
    const end = indptr[r + 1]!;
    let dot = 0;
    for (let q = indptr[r]!; q < end; q++) {
      const c = indices[q]!;
      if (c >= x.length || c < 0) throw new RangeError('csrMatVec: column index out of range');
      dot += data[q]! * x[c]!;
    }
    out[r] = dot;
  }
}
