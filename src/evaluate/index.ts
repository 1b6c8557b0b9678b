/** Offline evaluation: splits, protocols, the evaluator, experiments and reports. */
export * from './split.js';
export * from './splits.js';
export * from './protocol.js';
export * from './segments.js';
export { rankCandidates, type CandidateSet, type UserRanking } from './rank-candidates.js';
export * from './evaluator.js';
export * from './grids.js';
export * from './tuning.js';
export * from './experiment-types.js';
export * from './experiment.js';
export * from './report.js';
export * from './item-visuals.js';
