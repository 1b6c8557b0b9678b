import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fashionMnistImporter } from './fashion-mnist.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.js';
import { gz, idx, put, rejection, tmpDir, truncatedGz } from './test-utils/fixtures.js';

/** 3 train images (4x4, pixel value = 10*k + position) with labels 9, 0, 12 (12 is not a class), 2 test images. */
function fmnistFolder(): string {
  const dir = tmpDir();
  const pixels = (n: number): Uint8Array => Uint8Array.from({ length: n * 16 }, (_, i) => 10 * Math.floor(i / 16) + (i % 16));
  put(dir, 'train-images-idx3-ubyte.gz', gz(idx(IDX_IMAGES_MAGIC, [3, 4, 4], pixels(3))));
  put(dir, 'train-labels-idx1-ubyte.gz', gz(idx(IDX_LABELS_MAGIC, [3], Uint8Array.from([9, 0, 12]))));
  put(dir, 't10k-images-idx3-ubyte', idx(IDX_IMAGES_MAGIC, [2, 4, 4], pixels(2)));
  put(dir, 't10k-labels-idx1-ubyte', idx(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 8])));
  return dir;
}

describe('fashion-mnist importer', () => {
  it('writes each image as a PNG into the images folder and makes items with class names', async () => {
    const dir = fmnistFolder();
    const imagesDir = tmpDir();
    expect(fashionMnistImporter.detect(dir)).toBe(true);
    const batch = await fashionMnistImporter.read(dir, { imagesDir });
    expect(batch.report).toMatchObject({ rowsRead: 5, rowsKept: 4, items: 4, events: 0, images: 4 });
    expect(batch.report.dropped.badValue).toBe(1);
    expect(batch.items.map((i) => [i.id, i.category, i.image])).toEqual([
      ['fmnist-train-0', 'Ankle boot', 'fashion-mnist/train-0.png'],
      ['fmnist-train-1', 'T-shirt/top', 'fashion-mnist/train-1.png'],
      ['fmnist-test-0', 'Trouser', 'fashion-mnist/test-0.png'],
      ['fmnist-test-1', 'Bag', 'fashion-mnist/test-1.png'],
    ]);
    const files = readdirSync(join(imagesDir, 'fashion-mnist')).sort();
    expect(files).toEqual(['test-0.png', 'test-1.png', 'train-0.png', 'train-1.png']);
    const png = join(imagesDir, 'fashion-mnist/train-1.png');
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 4, 4, 1]);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(Array.from(data.subarray(0, 4))).toEqual([10, 11, 12, 13]);
  });

  it('respects limit across splits', async () => {
    const imagesDir = tmpDir();
    const batch = await fashionMnistImporter.read(fmnistFolder(), { imagesDir, limit: 2 });
    expect(batch.items.map((i) => i.id)).toEqual(['fmnist-train-0', 'fmnist-train-1']);
    expect(existsSync(join(imagesDir, 'fashion-mnist/test-0.png'))).toBe(false);
  });

  it('fails with MALFORMED_INPUT on a bad magic, a truncated payload or a truncated gzip, writing nothing', async () => {
    const cases: [string, Buffer][] = [
      ['bad magic', idx(2052, [3, 4, 4], new Uint8Array(48))],
      ['truncated', idx(IDX_IMAGES_MAGIC, [3, 4, 4], new Uint8Array(40))],
      ['truncated gzip', truncatedGz(idx(IDX_IMAGES_MAGIC, [3, 4, 4], new Uint8Array(48)))],
    ];
    for (const [what, bytes] of cases) {
      const dir = fmnistFolder();
      put(dir, 'train-images-idx3-ubyte.gz', bytes);
      const imagesDir = tmpDir();
      const e = await rejection(fashionMnistImporter.read(dir, { imagesDir }));
      expect(e.code, what).toBe('MALFORMED_INPUT');
      expect(e.message, what).toContain('train-images-idx3-ubyte.gz');
      expect(existsSync(join(imagesDir, 'fashion-mnist')) ? readdirSync(join(imagesDir, 'fashion-mnist')) : [], what).toEqual([]);
    }
  });

  it('fails when the label count differs from the image count, or the labels file is missing', async () => {
    const dir = fmnistFolder();
    put(dir, 'train-labels-idx1-ubyte.gz', gz(idx(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 2]))));
    expect((await rejection(fashionMnistImporter.read(dir, { imagesDir: tmpDir() }))).code).toBe('MALFORMED_INPUT');
    const lone = tmpDir();
    const file = put(lone, 'train-images-idx3-ubyte', idx(IDX_IMAGES_MAGIC, [1, 4, 4], new Uint8Array(16)));
    expect((await rejection(fashionMnistImporter.read(file, { imagesDir: tmpDir() }))).code).toBe('FILE_NOT_FOUND');
  });
});
