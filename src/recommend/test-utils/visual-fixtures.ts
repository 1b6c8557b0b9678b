import { Rng } from '../../core/rng.js';
import type { ItemImages, ItemVisualFeatures, TrainData } from '../recommender.js';

/**
 * Item images and visual features for the visual models' tests, where the
 * look carries the planted topic: item i's image is a solid square of its
 * topic's colour (with a little per-item shade and pixel noise, so no two
 * items are identical), and its "encoder" features a noisy one-hot of the
 * topic plus its mean colour, L2-normalised as a real encoder's are.
 */

const TOPIC_COLOURS: readonly (readonly [number, number, number])[] = [
  [0.9, 0.1, 0.1],
  [0.1, 0.8, 0.2],
  [0.15, 0.2, 0.9],
  [0.95, 0.85, 0.1],
  [0.8, 0.2, 0.8],
  [0.1, 0.85, 0.85],
];

/** Colour of topic t (cycled, darker on later cycles). */
function colourOf(t: number): readonly [number, number, number] {
  const c = TOPIC_COLOURS[t % TOPIC_COLOURS.length]!;
  const f = 1 / (1 + Math.floor(t / TOPIC_COLOURS.length));
  return [c[0] * f, c[1] * f, c[2] * f];
}

/** Solid-colour images of side `size` whose colour encodes topicOf[i]. */
export function topicImages(topicOf: Int32Array, size: number, seed: number, missing: readonly number[] = []): ItemImages {
  const rng = new Rng(seed);
  const n = topicOf.length;
  const per = size * size * 3;
  const data = new Float32Array(n * per);
  const present = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const c = colourOf(topicOf[i]!);
    const shade = rng.uniform(-0.05, 0.05);
    for (let p = 0; p < size * size; p++) {
      for (let ch = 0; ch < 3; ch++) data[i * per + p * 3 + ch] = Math.min(1, Math.max(0, c[ch]! + shade + rng.uniform(-0.03, 0.03)));
    }
  }
  for (const i of missing) {
    present[i] = 0;
    data.fill(0, i * per, (i + 1) * per);
  }
  return { nItems: n, size, data, present };
}

/** Encoder-like features: a noisy one-hot of the topic and the mean colour, unit length; zero rows for items without an image. */
export function topicFeatures(images: ItemImages, topicOf: Int32Array, seed: number): ItemVisualFeatures {
  const rng = new Rng(seed);
  const nTopics = Math.max(...topicOf) + 1;
  const dim = nTopics + 3;
  const data = new Float32Array(images.nItems * dim);
  const per = images.size * images.size * 3;
  for (let i = 0; i < images.nItems; i++) {
    if (images.present[i] !== 1) continue;
    const row = data.subarray(i * dim, (i + 1) * dim);
    for (let t = 0; t < nTopics; t++) row[t] = (t === topicOf[i] ? 1 : 0) + rng.uniform(0, 0.1);
    for (let ch = 0; ch < 3; ch++) row[nTopics + ch] = images.data[i * per + ch]!;
    const norm = Math.hypot(...row);
    for (let k = 0; k < dim; k++) row[k] = row[k]! / norm;
  }
  return { nItems: images.nItems, dim, data, present: images.present.slice(), source: 'test-topics' };
}

/** `data` with images (side `size`) and features whose look encodes `topicOf`. */
export function withVisuals<T extends TrainData>(data: T, topicOf: Int32Array, size = 16, seed = 1): T {
  const images = topicImages(topicOf, size, seed);
  return { ...data, images, visual: topicFeatures(images, topicOf, seed + 1) };
}
