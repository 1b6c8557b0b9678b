import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { Rng } from '../../core/rng.js';

/**
 * Image fixtures for the vision tests, written by sharp (never real datasets).
 */

export type Format = 'png' | 'jpeg' | 'webp';

/** A solid-colour image of width x height, encoded. */
export async function solidImage(rgb: readonly [number, number, number], width = 32, height = 32, format: Format = 'png'): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })[format]().toBuffer();
}

/** Seeded noise (incompressible, so truncating it cuts into pixel data rather than the header). */
export async function noiseImage(seed: number, width = 128, height = 128, format: Format = 'jpeg'): Promise<Buffer> {
  const rng = new Rng(seed);
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = rng.int(256);
  return sharp(raw, { raw: { width, height, channels: 3 } })[format]().toBuffer();
}

/**
 * A product shot: a coloured shape (a disc or a bar) on the white studio
 * background, so solid colour and shape both matter.
 */
export async function productImage(rgb: readonly [number, number, number], shape: 'disc' | 'bar', size = 48, format: Format = 'png'): Promise<Buffer> {
  const fill = `rgb(${rgb.join(',')})`;
  const body =
    shape === 'disc'
      ? `<circle cx="${size / 2}" cy="${size / 2}" r="${size * 0.35}" fill="${fill}"/>`
      : `<rect x="${size * 0.4}" y="${size * 0.1}" width="${size * 0.2}" height="${size * 0.8}" fill="${fill}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  return sharp(Buffer.from(svg))[format]().toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A tiny, valid-looking PNG whose header declares width x height (a "decompression bomb" header). */
export function hugeHeaderPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(64))), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Writes `bytes` as `name` under `dir` and returns the path. */
export function writeFixture(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
