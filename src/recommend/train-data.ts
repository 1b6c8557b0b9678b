import { fingerprint } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import type { TrainData } from './recommender.js';

/**
 * Checks what every model needs of its training data: a users x items
 * matrix with at least one row and column and finite positive values, and
 * content aligned with the items when given. Returns its fingerprint.
 */
export function checkTrainData(model: string, data: TrainData): string {
  const ui = data.ui;
  if (ui.nRows < 1 || ui.nCols < 1) fail('INVALID_ARGUMENT', `${model}: the training matrix is empty (${ui.nRows} x ${ui.nCols})`);
  if (ui.nnz === 0) fail('INVALID_ARGUMENT', `${model}: the training matrix has no interactions`);
  if (ui.indptr.length !== ui.nRows + 1) fail('INVALID_ARGUMENT', `${model}: indptr has ${ui.indptr.length} entries for ${ui.nRows} rows`);
  for (let k = 0; k < ui.data.length; k++) {
    const v = ui.data[k]!;
    if (!(v > 0) || !Number.isFinite(v)) {
      fail('INVALID_ARGUMENT', `${model}: interaction strengths must be finite and > 0, found ${v}`, {
        hint: 'drop or clip non-positive events before training',
      });
    }
  }
  if (data.content !== undefined && data.content.nItems !== ui.nCols) {
    fail('INVALID_ARGUMENT', `${model}: content describes ${data.content.nItems} items, the matrix has ${ui.nCols}`);
  }
  return fingerprint(ui.nRows, ui.nCols, ui.indptr, ui.indices, ui.data);
}
