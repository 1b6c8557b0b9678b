import { tensor, type Tensor } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import { CsrMatrix } from '../data/csr.js';
import { floatTensor, intTensor } from './model-base.js';

/** A CSR matrix as three artifact tensors: `${prefix}.indptr`, `.indices`, `.data`. */
export function csrTensors(prefix: string, m: CsrMatrix): Record<string, Tensor> {
  return {
    [`${prefix}.indptr`]: tensor(m.indptr),
    [`${prefix}.indices`]: tensor(m.indices),
    [`${prefix}.data`]: tensor(m.data),
  };
}

/** Reads back what csrTensors wrote, checking the structure (MODEL_INCOMPATIBLE when it is broken). */
export function csrFromTensors(tensors: Map<string, Tensor>, prefix: string, nRows: number, nCols: number): CsrMatrix {
  const indptr = intTensor(tensors, `${prefix}.indptr`, [nRows + 1]);
  const indices = intTensor(tensors, `${prefix}.indices`, [-1]);
  const data = floatTensor(tensors, `${prefix}.data`, [indices.length]);
  let ok = indptr[0] === 0 && indptr[nRows] === indices.length;
  for (let r = 0; ok && r < nRows; r++) ok = indptr[r]! <= indptr[r + 1]!;
  for (let k = 0; ok && k < indices.length; k++) ok = indices[k]! >= 0 && indices[k]! < nCols;
  if (!ok) fail('MODEL_INCOMPATIBLE', `sparse tensors "${prefix}.*" are not a valid ${nRows} x ${nCols} CSR matrix`);
  return new CsrMatrix(nRows, nCols, indptr, indices, data);
}
