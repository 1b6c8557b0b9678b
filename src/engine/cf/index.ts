/**
 * Pure numeric kernels of the collaborative-filtering models, over typed
 * arrays (row-major Float32Array factors, CSR as Int32Array indptr/indices +
 * Float32Array values, [start, end) row ranges so work can be split across
 * workers). A SIMD or native build can replace any of them behind the same
 * signature; the tests beside each file pin the behaviour.
 */
export { gram, addDiagonal } from './gram.js';
export { choleskyFactor, choleskySolve } from './cholesky.js';
export { alsCgSweep } from './als-cg.js';
export { alsExactSweep, accumulateRows, accumulateRow } from './als-exact.js';
export { bprSgdEpoch, type BprEpochStats } from './bpr-sgd.js';
export { PANEL, panelLength, packPanels, scoreRowsPacked, scoreRows, scoreRow } from './score.js';
export { TopKHeap, selectTopK } from './select.js';
