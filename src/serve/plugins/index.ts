import type { ServePlugin } from '../plugin.js';
import { compactPlugin } from './compact.js';
import { eventsPlugin } from './events.js';
import { experimentsPlugin } from './experiments.js';
import { itemImagePlugin } from './item-image.js';
import { itemsPlugin } from './items.js';
import { jobsPlugin } from './jobs.js';
import { keysPlugin } from './keys.js';
import { metricsPlugin } from './metrics.js';
import { photoPlugin } from './photo.js';
import { recommendationsPlugin } from './recommendations.js';
import { sessionPlugin } from './session.js';
import { shoppersPlugin } from './shoppers.js';

/** The built-in features, in registration order (docs is registered first by buildApp itself). */
export const BUILTIN_PLUGINS: readonly ServePlugin[] = [
  sessionPlugin,
  itemsPlugin,
  itemImagePlugin,
  shoppersPlugin,
  eventsPlugin,
  recommendationsPlugin,
  photoPlugin,
  compactPlugin,
  jobsPlugin,
  metricsPlugin,
  experimentsPlugin,
  keysPlugin,
];
