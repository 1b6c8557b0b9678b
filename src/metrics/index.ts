/** Ranking and beyond-accuracy metrics: pure functions over typed arrays. */
export * from './relevance.js';
export * from './ranking.js';
export * from './beyond-accuracy.js';
export * from './descriptor.js';
