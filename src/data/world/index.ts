/**
 * The synthetic shop ("world"): products with attributes, captions and
 * procedural images; shoppers with hidden tastes; sessions of events drawn
 * from the tastes; the ground-truth utility. See docs/world-format.md.
 */
export { generateWorld, worldEvent, worldEvents, eventKey, eventTypeCounts, type World, type GenerateOptions } from './world.js';
export { worldConfig, DEFAULT_WORLD_CONFIG, DEFAULT_START_TIME, WORLD_LIMITS, type WorldConfig, type WorldConfigInput } from './world-config.js';
export { writeWorld, type WriteWorldOptions } from './write.js';
export { renderWorldImages, renderImagesInto, type RenderImagesOptions } from './images.js';
export {
  readWorldManifest,
  readWorldItems,
  readWorldTastes,
  WORLD_FILES,
  WORLD_FORMAT,
  WORLD_FORMAT_VERSION,
  EVENTS_CSV_HEADER,
  type WorldManifest,
  type TasteRecord,
} from './world-files.js';
export { trueUtility, productAttributesOf, UTILITY_WEIGHTS, type ProductAttributes } from './utility.js';
export { compileTaste, encodeItems, fastUtility, type CompiledTaste, type ItemCodes } from './compiled-utility.js';
export { drawTaste, DEFAULT_TASTE_CONFIG, type Taste, type TasteConfig } from './taste.js';
export { describeTaste } from './describe-taste.js';
export { drawPopulation, shopperId, type Population } from './shoppers.js';
export { drawCatalog, drawProductAttributes, productId, DEFAULT_PRODUCT_CONFIG, type Catalog, type ProductConfig } from './products.js';
export { productCaption, productTitle, type CaptionInput } from './captions.js';
export { productSvg, renderProductPng, type RenderInput, type RenderOptions } from './render.js';
export { simulateEvents, DEFAULT_EVENT_CONFIG, type EventConfig } from './events.js';
export type { WorldEventLog } from './event-log.js';
export type { Page, SlateMix } from './slate.js';
export { AGE_BANDS, REGIONS, type AgeBand, type Region } from './demographics.js';
export {
  CATEGORIES,
  COLOURS,
  COLOUR_NAMES,
  PATTERNS,
  SHAPE_FIELDS,
  CATEGORY_SPECS,
  shapeFieldsOf,
  referencePrice,
  vocabularyJson,
  type Category,
  type Colour,
  type Pattern,
  type ShapeField,
} from './vocabulary.js';
