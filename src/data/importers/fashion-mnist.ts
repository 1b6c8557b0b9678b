import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { fail, throwIfAborted } from '../../core/errors.js';
import { readAllBytes } from '../lines.js';
import type { ImportBatch, Item } from '../schema.js';
import { BatchBuilder } from './clean.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, type IdxArray } from './idx.js';
import type { ImportOptions, Importer } from './importer.js';

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): a catalog only, no
 * interactions. Each image is written as a PNG into
 * `<imagesDir>/fashion-mnist/<split>-<n>.png` (split `train` or `test`) and
 * becomes an item whose category is its class name. Both IDX files of a split
 * are validated before any image is written, and each PNG is written to a
 * temporary name then renamed, so a failure leaves no partial image.
 */

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

const IMAGES = /^(.*?)[-_.]?images[-_.]idx3[-_.]ubyte(\.gz)?$/i;
const LABELS = /^(.*?)[-_.]?labels[-_.]idx1[-_.]ubyte(\.gz)?$/i;
const CONCURRENCY = 8;

interface Split {
  name: string;
  images: string;
  labels: string;
}

/** `train` stays, `t10k` (the published test prefix) becomes `test`. */
function splitName(prefix: string): string {
  return prefix === 't10k' ? 'test' : prefix === '' ? 'data' : prefix;
}

function labelsFor(dir: string, prefix: string, imagesFile: string): string {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const match = names.find((f) => LABELS.exec(f)?.[1] === prefix);
  if (match === undefined) {
    fail('FILE_NOT_FOUND', `no labels file beside ${basename(imagesFile)}`, {
      hint: `put ${prefix}-labels-idx1-ubyte(.gz) in ${dir}`,
    });
  }
  return join(dir, match);
}

function locate(path: string): Split[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isDirectory()) {
    const found = readdirSync(path).sort().flatMap((f) => {
      const m = IMAGES.exec(f);
      return m === null ? [] : [{ name: splitName(m[1]!), images: join(path, f), prefix: m[1]! }];
    });
    // train before test, as published.
    found.sort((a, b) => Number(a.name !== 'train') - Number(b.name !== 'train') || a.name.localeCompare(b.name));
    return found.map((s) => ({ name: s.name, images: s.images, labels: labelsFor(path, s.prefix, s.images) }));
  }
  const dir = dirname(path);
  const file = basename(path);
  const img = IMAGES.exec(file);
  if (img !== null) return [{ name: splitName(img[1]!), images: path, labels: labelsFor(dir, img[1]!, path) }];
  const lab = LABELS.exec(file);
  if (lab === null) return [];
  const images = readdirSync(dir).find((f) => IMAGES.exec(f)?.[1] === lab[1]);
  if (images === undefined) fail('FILE_NOT_FOUND', `no images file beside ${file}`);
  return [{ name: splitName(lab[1]!), images: join(dir, images), labels: path }];
}

function detect(path: string): boolean {
  if (!existsSync(path)) return false;
  if (statSync(path).isDirectory()) return readdirSync(path).some((f) => IMAGES.test(f));
  return IMAGES.test(basename(path)) || LABELS.test(basename(path));
}

async function loadSplit(split: Split): Promise<{ images: IdxArray; labels: IdxArray }> {
  const images = parseIdx(await readAllBytes(split.images), split.images, IDX_IMAGES_MAGIC);
  const labels = parseIdx(await readAllBytes(split.labels), split.labels, IDX_LABELS_MAGIC);
  if (images.dims[0] !== labels.dims[0]) {
    fail('MALFORMED_INPUT', `${basename(split.images)} has ${images.dims[0]} images but ${basename(split.labels)} has ${labels.dims[0]} labels`);
  }
  return { images, labels };
}

/** Writes one grayscale image as PNG, atomically (temporary file, then rename). */
async function writePng(pixels: Uint8Array, width: number, height: number, path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toFile(tmp);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function readSplit(b: BatchBuilder, split: Split, opts: ImportOptions, budget: number): Promise<number> {
  const { images, labels } = await loadSplit(split);
  const [count = 0, rows = 0, cols = 0] = images.dims;
  const n = Math.min(count, budget);
  const outDir = join(opts.imagesDir, 'fashion-mnist');
  mkdirSync(outDir, { recursive: true });
  const classOf = (k: number): string | undefined => FASHION_MNIST_CLASSES[labels.data[k]!];
  const pixels = rows * cols;
  const write = async (k: number): Promise<void> => {
    throwIfAborted(opts.signal);
    if (classOf(k) === undefined) return;
    await writePng(images.data.subarray(k * pixels, (k + 1) * pixels), cols, rows, join(outDir, `${split.name}-${k}.png`));
  };
  await forEachParallel(n, write, (done) => {
    if (done % 500 === 0 || done === n) opts.onProgress?.({ phase: `write ${split.name} images`, done, total: n });
  });
  for (let k = 0; k < n; k++) {
    b.read();
    const className = classOf(k);
    const where = `${basename(split.labels)} label ${k}`;
    if (className === undefined) {
      b.drop('badValue', where, `label ${labels.data[k]} is not a Fashion-MNIST class (0..9)`);
      continue;
    }
    const item: Item = {
      id: `fmnist-${split.name}-${k}`, title: `${className} (${split.name} #${k})`, category: className,
      attributes: { split: split.name, label: labels.data[k]! },
      caption: `${/^[aeiou]/i.test(className) ? 'An' : 'A'} ${className.toLowerCase()} from the Fashion-MNIST ${split.name} set.`,
      price: null, image: `fashion-mnist/${split.name}-${k}.png`, createdAt: null,
    };
    b.addItem(item, where);
  }
  return n;
}

/** Runs `fn(k)` for k in 0..n-1 with a few calls in flight (sharp encodes on its own threads). */
async function forEachParallel(n: number, fn: (k: number) => Promise<void>, onDone: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < n; k = next++) {
      await fn(k);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
}

async function read(path: string, opts: ImportOptions): Promise<ImportBatch> {
  const splits = locate(path);
  if (splits.length === 0) fail('MALFORMED_INPUT', `${path} holds no Fashion-MNIST *-images-idx3-ubyte(.gz) file`);
  const b = new BatchBuilder(path, 'fashion-mnist');
  let budget = opts.limit ?? Number.POSITIVE_INFINITY;
  for (const split of splits) {
    if (budget <= 0) break;
    budget -= await readSplit(b, split, opts, budget);
  }
  return b.finish();
}

export const fashionMnistImporter: Importer = {
  format: 'fashion-mnist',
  describe: 'Fashion-MNIST: a folder or *-images-idx3-ubyte(.gz) with its labels file; a catalog of images, no events',
  detect,
  read,
};
