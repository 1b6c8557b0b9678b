import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../core/errors.js';
import { decodeImage } from './image.js';
import { sniffImageFormat } from './image-format.js';
import { CATALOG_BACKGROUND, loadImage, prepareImage } from './prepare.js';
import { hugeHeaderPng, noiseImage, solidImage, writeFixture } from './test-utils/images.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(VitrineError);
    return (e as VitrineError).code;
  }
}

describe('decodeImage', () => {
  it('decodes JPEG, PNG and WebP by content, whatever the file name says', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const path = writeFixture(dir, `red-${format}.gif`, await solidImage([220, 20, 20], 40, 30, format));
      const img = await decodeImage(path);
      expect(img.format).toBe(format);
      expect([img.width, img.height, img.channels]).toEqual([40, 30, 3]);
      expect(img.pixels.length).toBe(40 * 30 * 3);
      expect(img.pixels[0]).toBeGreaterThan(180);
    }
  });

  it('refuses GIF, PDF and text with UNKNOWN_FORMAT naming what the file is', async () => {
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } }).gif().toBuffer();
    await expect(decodeImage(writeFixture(dir, 'a.jpg', gif))).rejects.toThrow(/a\.jpg is a GIF image; images must be JPEG, PNG or WebP/);
    await expect(decodeImage(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj'))).rejects.toThrow(/PDF document/);
    expect(await codeOf(decodeImage(Buffer.from('just some notes about a dress\n')))).toBe('UNKNOWN_FORMAT');
    expect(await codeOf(decodeImage(Buffer.from([0, 1, 2, 3, 250, 251])))).toBe('UNKNOWN_FORMAT');
  });

  it('refuses empty, truncated and corrupt files with CORRUPT_IMAGE', async () => {
    expect(await codeOf(decodeImage(writeFixture(dir, 'empty.png', '')))).toBe('CORRUPT_IMAGE');
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const whole = await noiseImage(1, 96, 96, format);
      const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
      expect(await codeOf(decodeImage(cut, { name: `cut.${format}` }))).toBe('CORRUPT_IMAGE');
    }
    const garbled = Buffer.from(await solidImage([1, 2, 3], 16, 16, 'png'));
    garbled.fill(0x55, 16, 40); // inside IHDR: checksum and fields no longer match
    await expect(decodeImage(garbled, { name: 'garbled.png' })).rejects.toThrow(/garbled\.png is not a readable PNG image/);
  });

  it('refuses oversized files by bytes before reading and by pixels from the header', async () => {
    const path = writeFixture(dir, 'big.jpg', await noiseImage(2, 200, 200, 'jpeg'));
    await expect(decodeImage(path, { limits: { maxBytes: 1000 } })).rejects.toThrow(/big\.jpg is .* MB; images may be at most/);
    expect(await codeOf(decodeImage(path, { limits: { maxPixels: 10_000 } }))).toBe('PAYLOAD_TOO_LARGE');
    // 50,000 x 50,000 declared in a file of a few hundred bytes: refused from the header, never decoded.
    const bomb = hugeHeaderPng(50_000, 50_000);
    expect(bomb.length).toBeLessThan(500);
    await expect(decodeImage(bomb, { name: 'bomb.png' })).rejects.toThrow(/bomb\.png is 50000x50000 \(2500\.0 megapixels\)/);
  });

  it('names a missing file', async () => {
    expect(await codeOf(decodeImage(join(dir, 'nope.png')))).toBe('FILE_NOT_FOUND');
  });

  it('sniffs formats from magic numbers', () => {
    expect(sniffImageFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ accepted: 'webp' });
    expect(sniffImageFormat(Buffer.from('<svg xmlns="x"></svg>'))).toEqual({ other: 'SVG/XML document' });
  });
});

describe('prepareImage', () => {
  it('pads to a square with the background, without stretching, and scales to [0, 1]', async () => {
    // A 40x10 blue strip: after padding to 40x40 and resizing to 8x8, rows 3-4 are blue, the rest white.
    const img = await decodeImage(await solidImage([0, 0, 255], 40, 10, 'png'));
    const p = await prepareImage(img, { size: 8 });
    expect(p.size).toBe(8);
    expect(p.data.length).toBe(8 * 8 * 3);
    const px = (x: number, y: number): number[] => Array.from(p.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3));
    expect(px(4, 0)).toEqual(CATALOG_BACKGROUND.map((v) => v / 255));
    expect(px(4, 7)).toEqual([1, 1, 1]);
    const mid = px(4, 4);
    expect(mid[2]).toBeCloseTo(1, 2);
    expect(mid[0]).toBeLessThan(0.05);
  });

  it('uses the configured background for padding and transparency', async () => {
    const clear = await sharp({ create: { width: 10, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const p = await loadImage(clear, { size: 4, background: [0, 128, 0] });
    for (let i = 0; i < 16; i++) expect(Array.from(p.data.subarray(i * 3, i * 3 + 3)).map((v) => Math.round(v * 255))).toEqual([0, 128, 0]);
  });

  it('trims to the product when asked: a small red square on grey fills the input; a uniform image stays whole', async () => {
    const canvas = await sharp({ create: { width: 100, height: 100, channels: 3, background: { r: 230, g: 230, b: 230 } } })
      .composite([{ input: await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer(), left: 60, top: 10 }])
      .png()
      .toBuffer();
    const redShare = (d: Float32Array): number => {
      let red = 0;
      for (let i = 0; i < d.length; i += 3) if (d[i]! > 0.9 && d[i + 1]! < 0.1) red++;
      return red / (d.length / 3);
    };
    const plain = await loadImage(canvas, { size: 16 });
    const cut = await loadImage(canvas, { size: 16, trim: true });
    expect(redShare(plain.data)).toBeLessThan(0.1);
    expect(redShare(cut.data)).toBeGreaterThan(0.8);
    const flat = await loadImage(await solidImage([0, 0, 255], 30, 30, 'png'), { size: 8, trim: true });
    expect(flat.data.length).toBe(8 * 8 * 3);
    expect(flat.data[2]).toBeCloseTo(1, 2);
  });

  it('gives the same input for a catalog file and the same bytes uploaded', async () => {
    const bytes = await noiseImage(3, 50, 30, 'webp');
    const fromFile = await loadImage(writeFixture(dir, 'same.webp', bytes), { size: 16 });
    const fromUpload = await loadImage(bytes, { size: 16 });
    expect(fromUpload.data).toEqual(fromFile.data);
  });
});
