import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll } from 'vitest';
import type { VitrineError } from '../../../core/errors.js';

/** Fixture helpers for importer tests: everything is written under os.tmpdir(). */

const made: string[] = [];

// Temporary folders live until the test file ends.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tmpDir(prefix = 'vitrine-import-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes a file (creating folders); returns its path. */
export function put(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export function gz(content: string | Uint8Array): Buffer {
  return gzipSync(typeof content === 'string' ? Buffer.from(content) : content);
}

/** A gzip stream cut short: the header survives, the end does not. */
export function truncatedGz(content: string | Uint8Array): Buffer {
  const full = gz(content);
  return full.subarray(0, Math.max(12, full.length - 20));
}

/** Deterministic binary junk with NUL bytes. */
export function junk(n = 4096): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7919 + 13) % 256;
  return b;
}

/** An unsigned-byte IDX file. */
export function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** A small solid-colour JPEG. */
export async function jpeg(path: string, size = 8): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  await sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 30, b: 60 } } }).jpeg().toFile(path);
  return path;
}

/** The VitrineError a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<VitrineError> {
  try {
    await p;
  } catch (e) {
    return e as VitrineError;
  }
  throw new Error('expected a rejection');
}
