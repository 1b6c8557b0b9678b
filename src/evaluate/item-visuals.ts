import { isAbsolute, join } from 'node:path';
import { fail, isVitrineError, throwIfAborted } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import type { ProgressFn } from '../core/logger.js';
import type { Dataset, EventColumns } from '../data/dataset.js';
import type { Item } from '../data/schema.js';
import type { ItemImages, ItemVisualFeatures, ModelKind } from '../recommend/recommender.js';
import { ClassicEncoder } from '../vision/classic-encoder.js';
import { encoderPrepareOptions, type ImageEncoder } from '../vision/encoder.js';
import { CATALOG_BACKGROUND, loadImage, type Rgb } from '../vision/prepare.js';

/**
 * Item images for the visual recommenders: every catalog item's image read
 * once, through src/vision's decode/validate/prepare (the same steps as an
 * upload), into one NHWC batch aligned with item indices (TrainData.images,
 * for DVBPR), and an image encoder's embeddings of them
 * (TrainData.visual, for VBPR). An unreadable image is skipped and counted;
 * that item gets no visual signal.
 */

/**
 * What a model of `kind` with `config` needs of the item images: the
 * prepared images (dvbpr learns its own network), an encoder's features
 * (vbpr), or nothing. The visual hybrid needs what its visual part needs.
 */
export function visualNeed(kind: ModelKind, config: Readonly<Record<string, unknown>> = {}): 'images' | 'features' | null {
  if (kind === 'dvbpr') return 'images';
  if (kind === 'vbpr') return 'features';
  if (kind === 'visual-hybrid') return config.visual === 'dvbpr' ? 'images' : 'features';
  return null;
}

export interface LoadItemImagesOptions {
  /** Folder that relative item image paths are under (the workspace images folder); absolute paths are used as they are. */
  imagesDir?: string;
  /** Side of the prepared images (default 64). */
  size?: number;
  background?: Rgb;
  /** Cut each image to the product before padding (prepareImage's trim). */
  trim?: boolean;
  /** Images decoded at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface ItemImagesReport {
  images: ItemImages;
  /** Items with an image reference, and of those the ones that could not be read. */
  withImage: number;
  skipped: number;
  skippedExamples: string[];
  seconds: number;
}

/** Where an item's image is: an absolute path as is, else under `imagesDir` (the workspace images folder). */
function imagePath(image: string, imagesDir: string | undefined): string {
  if (isAbsolute(image)) return image;
  if (imagesDir === undefined) fail('INVALID_ARGUMENT', `item image "${image}" is relative and no images folder was given`);
  return join(imagesDir, image);
}

/** Reads and prepares every item's image (see the file comment). */
export async function loadItemImages(dataset: Dataset, opts: LoadItemImagesOptions = {}): Promise<ItemImagesReport> {
  const t0 = performance.now();
  const size = opts.size ?? 64;
  const n = dataset.items.size;
  const per = size * size * 3;
  const images: ItemImages = { nItems: n, size, data: new Float32Array(n * per), present: new Uint8Array(n) };
  const todo: number[] = [];
  dataset.itemInfo.forEach((it, i) => { if (it?.image) todo.push(i); });
  const skippedExamples: string[] = [];
  let skipped = 0;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      throwIfAborted(opts.signal);
      const i = todo[next++]!;
      const item = dataset.itemInfo[i]!;
      const path = imagePath(item.image!, opts.imagesDir);
      try {
        const p = await loadImage(path, { size, background: opts.background ?? CATALOG_BACKGROUND, ...(opts.trim === true ? { trim: true } : {}) });
        images.data.set(p.data, i * per);
        images.present[i] = 1;
      } catch (e) {
        // Missing, corrupt, too large or of an unknown format: skipped, as the image index build does.
        if (!isVitrineError(e) || e.code === 'ABORTED') throw e;
        skipped++;
        if (skippedExamples.length < 5) skippedExamples.push(`item ${item.id}: ${e.message}`);
      }
      if (++done % 256 === 0 || done === todo.length) opts.onProgress?.({ phase: 'load item images', done, total: todo.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  return { images, withImage: todo.length, skipped, skippedExamples, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The encoder's embedding of every item image (VBPR's f_i); items without an
 * image get a zero row. The images must be prepared at the encoder's input size.
 */
export async function embedItemImages(
  images: ItemImages,
  encoder: ImageEncoder,
  opts: { batchSize?: number; signal?: AbortSignal; onProgress?: ProgressFn } = {},
): Promise<ItemVisualFeatures> {
  if (images.size !== encoder.inputSize) {
    fail('INVALID_ARGUMENT', `item images are ${images.size}x${images.size}; the ${encoder.kind} encoder takes ${encoder.inputSize}x${encoder.inputSize}`);
  }
  const dim = encoder.dim;
  const out: ItemVisualFeatures = { nItems: images.nItems, dim, data: new Float32Array(images.nItems * dim), present: images.present.slice(), source: encoder.kind };
  const with_ = Array.from(images.present.keys()).filter((i) => images.present[i] === 1);
  const per = images.size * images.size * 3;
  const batch = Math.max(1, opts.batchSize ?? 256);
  for (let s = 0; s < with_.length; s += batch) {
    throwIfAborted(opts.signal);
    const ids = with_.slice(s, s + batch);
    const data = new Float32Array(ids.length * per);
    ids.forEach((i, r) => data.set(images.data.subarray(i * per, (i + 1) * per), r * per));
    const vecs = await encoder.embed({ count: ids.length, size: images.size, data });
    ids.forEach((i, r) => out.data.set(vecs[r]!, i * dim));
    opts.onProgress?.({ phase: `embed item images (${encoder.kind})`, done: Math.min(with_.length, s + batch), total: with_.length });
  }
  return out;
}

/**
 * The dataset restricted to items that have an image and the events on them
 * (e.g. the H&M subset's "purchases of articles that have an image");
 * shoppers left without events are dropped. Indices are renumbered in the
 * original order.
 */
export function keepImagedItems(dataset: Dataset): Dataset {
  const keepItem = dataset.itemInfo.map((it) => it?.image != null);
  const ev = dataset.events;
  const rows: number[] = [];
  for (let k = 0; k < ev.item.length; k++) if (keepItem[ev.item[k]!]) rows.push(k);
  const userUsed = new Uint8Array(dataset.users.size);
  for (const k of rows) userUsed[ev.user[k]!] = 1;
  const items = new IdMap();
  const itemInfo: (Item | undefined)[] = [];
  const itemMap = new Int32Array(dataset.items.size).fill(-1);
  dataset.itemInfo.forEach((it, i) => {
    if (!keepItem[i]) return;
    itemMap[i] = items.add(dataset.items.idOf(i));
    itemInfo.push(it);
  });
  const users = new IdMap();
  const userMap = new Int32Array(dataset.users.size).fill(-1);
  const shopperInfo: Dataset['shopperInfo'] = [];
  for (let u = 0; u < dataset.users.size; u++) {
    if (userUsed[u] !== 1) continue;
    userMap[u] = users.add(dataset.users.idOf(u));
    shopperInfo.push(dataset.shopperInfo[u]);
  }
  const pick = <T extends EventColumns[keyof EventColumns]>(a: T, f?: (v: number) => number): T => {
    const out = new (a.constructor as new (n: number) => T)(rows.length);
    rows.forEach((k, r) => (out[r] = f === undefined ? a[k]! : f(a[k]!)));
    return out;
  };
  const events: EventColumns = {
    user: pick(ev.user, (u) => userMap[u]!),
    item: pick(ev.item, (i) => itemMap[i]!),
    ts: pick(ev.ts),
    type: pick(ev.type),
    value: pick(ev.value),
    price: pick(ev.price),
  };
  return { name: `${dataset.name} (items with an image)`, users, items, itemInfo, shopperInfo, events };
}

/** Item images (for dvbpr) and image features (for vbpr), aligned with the dataset's items. */
export interface VisualInputs {
  images?: ItemImages;
  features?: ItemVisualFeatures;
  /** What was read: items with an image reference, unreadable ones, seconds spent reading and embedding. */
  report?: { withImage: number; skipped: number; skippedExamples: string[]; seconds: number };
}

export interface VisualInputOptions extends LoadItemImagesOptions {
  /** VBPR's feature extractor (default: the classic encoder at `size`). */
  encoder?: ImageEncoder;
  /** The models' hyperparameters, where they decide what is needed (a visual hybrid's visual part). */
  modelConfigs?: Partial<Record<ModelKind, Readonly<Record<string, unknown>>>>;
}

/**
 * What `models` need of the item images (visualNeed), read once: the
 * prepared images at `size` when one needs them, the encoder's embeddings
 * when one needs features (images read again at the encoder's input size if
 * it differs). Nothing when none does.
 */
export async function prepareVisualInputs(dataset: Dataset, models: readonly ModelKind[], opts: VisualInputOptions = {}): Promise<VisualInputs> {
  const needs = models.map((m) => visualNeed(m, opts.modelConfigs?.[m]));
  const needImages = needs.includes('images');
  const needFeatures = needs.includes('features');
  if (!needImages && !needFeatures) return {};
  const size = opts.size ?? 64;
  const encoder: ImageEncoder | undefined = needFeatures ? (opts.encoder ?? new ClassicEncoder({ inputSize: size })) : undefined;
  const out: VisualInputs = {};
  let read: ItemImagesReport | undefined;
  if (needImages || encoder?.inputSize === size) {
    read = await loadItemImages(dataset, { ...opts, size });
    if (needImages) out.images = read.images;
  }
  if (encoder !== undefined) {
    const t0 = performance.now();
    const reuse = encoder.inputSize === size && read !== undefined && encoder.trim !== true;
    const own = reuse ? read! : await loadItemImages(dataset, { ...opts, ...encoderPrepareOptions(encoder) });
    read ??= own;
    out.features = await embedItemImages(own.images, encoder, opts);
    read = { ...read, seconds: read.seconds + (performance.now() - t0) / 1000 };
  }
  if (read !== undefined) out.report = { withImage: read.withImage, skipped: read.skipped, skippedExamples: read.skippedExamples, seconds: read.seconds };
  return out;
}
