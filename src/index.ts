/**
 * vitrine's package entry point. The typed service client is exported at the
 * top level (`import { VitrineClient } from 'vitrine'`, also
 * `vitrine/client` for browsers); the library layers are exported as
 * namespaces so that their names never collide.
 */
export * from './client/index.js';
export * as engine from './engine/index.js';
export * as store from './store/index.js';
export * as metrics from './metrics/index.js';
export * as vision from './vision/index.js';
export * as recommend from './recommend/index.js';
export * as evaluate from './evaluate/index.js';
export * as serve from './serve/index.js';
export { VitrineError } from './core/errors.js';
export { generateWorld, writeWorld, trueUtility } from './data/world/index.js';
export { importPath } from './data/importers/index.js';
