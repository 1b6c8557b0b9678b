/** Public API of the importers: `vitrine import <path> [--format F] [--map ...]` calls importPath. */
export { IMPORT_FORMATS, isImportFormat } from './importer.js';
export type { ColumnMapping, ImportFormat, ImportOptions, Importer } from './importer.js';
export { IMPORTERS, detectFormat, importPath } from './registry.js';
export type { ImportPathOptions } from './registry.js';
export { parseMapping } from './mapping.js';
export { FASHION_MNIST_CLASSES } from './fashion-mnist.js';
export { AGE_BANDS, ageBand, parseTimestamp } from './values.js';
export { BatchBuilder } from './clean.js';
