import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail } from '../core/errors.js';
import type { VectorIndexConfig } from './ann-config.js';

/**
 * An index on disk, next to the store (`<workspace>/indexes/<name>`):
 *   <name>.json          the sidecar: settings, string keys and their usearch ids, file names, checksums
 *   <name>.g<N>.f32      the vectors, raw little-endian float32, one row per key in sidecar order
 *   <name>.g<N>.usearch  the HNSW graph (only when the index has one)
 * Data files carry a generation number N and the sidecar is renamed into
 * place last, so a crash while saving leaves the previous index readable;
 * files of older generations are removed after the rename.
 */

export const INDEX_FORMAT = 'vitrine-ann';
export const INDEX_FORMAT_VERSION = 1;

export interface IndexSidecar {
  format: typeof INDEX_FORMAT;
  version: number;
  generation: number;
  config: VectorIndexConfig;
  /** keys[slot] and ids[slot]: the string key and the usearch id of each stored vector. */
  keys: string[];
  ids: number[];
  nextId: number;
  vectorsFile: string;
  vectorsSha256: string;
  hnswFile: string | null;
  /** Caller metadata (e.g. the encoder and when the index was built). */
  meta: Record<string, unknown>;
  savedAt: string;
}

export const sidecarPath = (path: string): string => `${path}.json`;

export function indexExists(path: string): boolean {
  return existsSync(sidecarPath(path));
}

export function readSidecar(path: string): IndexSidecar {
  const file = sidecarPath(path);
  if (!existsSync(file)) fail('MODEL_NOT_FOUND', `no vector index at ${path} (${basename(file)} missing)`, { hint: 'build one with `vitrine index build`' });
  let s: IndexSidecar;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as IndexSidecar;
  } catch (e) {
    fail('MODEL_INCOMPATIBLE', `${file} is not valid JSON`, { cause: e });
  }
  if (s.format !== INDEX_FORMAT || s.version > INDEX_FORMAT_VERSION) fail('MODEL_INCOMPATIBLE', `${file} is not a vector index this vitrine can read`);
  if (s.keys.length !== s.ids.length) fail('MODEL_INCOMPATIBLE', `${file}: keys and ids differ in length`);
  return s;
}

/** The vectors file of a sidecar, checked for size and checksum. */
export function readVectors(path: string, s: IndexSidecar): Float32Array {
  const file = join(dirname(path), s.vectorsFile);
  if (!existsSync(file)) fail('MODEL_INCOMPATIBLE', `vector index ${path}: ${s.vectorsFile} is missing`);
  const buf = readFileSync(file);
  if (buf.byteLength !== s.keys.length * s.config.dim * 4) fail('MODEL_INCOMPATIBLE', `vector index ${path}: ${s.vectorsFile} has the wrong size`);
  if (sha256(buf) !== s.vectorsSha256) fail('MODEL_INCOMPATIBLE', `vector index ${path}: ${s.vectorsFile} is corrupt (checksum mismatch)`);
  const out = new Float32Array(s.keys.length * s.config.dim);
  Buffer.from(out.buffer).set(buf);
  return out;
}

function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** The generation after the one saved at `path` (1 for a new index). */
export function nextGeneration(path: string): number {
  if (!indexExists(path)) return 1;
  try {
    return (readSidecar(path).generation | 0) + 1;
  } catch {
    return 1;
  }
}

/**
 * Writes vectors (and, through `writeHnsw`, the graph) under a new
 * generation, then the sidecar atomically, then removes older generations.
 */
export function writeIndexFiles(
  path: string,
  sidecar: Omit<IndexSidecar, 'vectorsFile' | 'vectorsSha256' | 'hnswFile' | 'generation' | 'format' | 'version' | 'savedAt'>,
  vectors: Float32Array,
  writeHnsw: ((file: string) => void) | null,
): void {
  const dir = dirname(path);
  const base = basename(path);
  mkdirSync(dir, { recursive: true });
  const generation = nextGeneration(path);
  const vectorsFile = `${base}.g${generation}.f32`;
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  writeFileSync(join(dir, vectorsFile), bytes);
  const hnswFile = writeHnsw === null ? null : `${base}.g${generation}.usearch`;
  if (writeHnsw !== null && hnswFile !== null) writeHnsw(join(dir, hnswFile));
  const full: IndexSidecar = {
    format: INDEX_FORMAT,
    version: INDEX_FORMAT_VERSION,
    generation,
    ...sidecar,
    vectorsFile,
    vectorsSha256: sha256(bytes),
    hnswFile,
    savedAt: new Date().toISOString(),
  };
  const tmp = `${sidecarPath(path)}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(full) + '\n');
  renameSync(tmp, sidecarPath(path));
  removeOtherGenerations(dir, base, generation);
}

function removeOtherGenerations(dir: string, base: string, keep: number): void {
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.g(\\d+)\\.(f32|usearch)$`);
  for (const f of readdirSync(dir)) {
    const m = pattern.exec(f);
    if (m !== null && Number(m[1]) !== keep) rmSync(join(dir, f), { force: true });
  }
}

/** Removes an index's sidecar and data files. */
export function deleteIndexFiles(path: string): void {
  const dir = dirname(path);
  const base = basename(path);
  rmSync(sidecarPath(path), { force: true });
  if (existsSync(dir)) removeOtherGenerations(dir, base, -1);
}
