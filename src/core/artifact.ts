import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail } from './errors.js';

/**
 * Model artifacts: a directory with manifest.json and raw little-endian tensor
 * files (architecture.md, "Artifacts"). Never a code-executing format.
 */

export const ARTIFACT_FORMAT = 'vitrine-artifact';
export const ARTIFACT_FORMAT_VERSION = 1;

export type DType = 'float32' | 'int32' | 'uint8' | 'float64';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Float64Array;

export interface Tensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  file: string;
  sha256: string;
}

export interface Manifest {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  /** Model kind, e.g. "als"; selects the loader. */
  kind: string;
  /** Version of that kind's layout; a loader refuses versions it does not know. */
  version: number;
  createdAt: string;
  hyperparameters: Record<string, unknown>;
  /** Fingerprint of the training data (see fingerprint()). */
  dataFingerprint: string | null;
  metrics: Record<string, number>;
  tensors: TensorEntry[];
  /** Kind-specific JSON (id maps, vocabularies, ...). */
  extra: Record<string, unknown>;
}

export type ManifestInput = Pick<Manifest, 'kind' | 'version' | 'hyperparameters'> &
  Partial<Pick<Manifest, 'dataFingerprint' | 'metrics' | 'extra'>>;

const CTORS = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
  float64: Float64Array,
} as const satisfies Record<DType, { BYTES_PER_ELEMENT: number }>;

export function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  return 'float64';
}

export function tensor(data: TypedArray, shape: number[] = [data.length]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`shape [${shape.join(',')}] does not match ${data.length} values`);
  return { dtype: dtypeOf(data), shape, data };
}

function bytesOf(a: TypedArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Writes an artifact atomically: into a sibling temp directory, then renamed
 * over `dir`, so a crash never leaves a half-written model where a good one was.
 */
export function writeArtifact(dir: string, input: ManifestInput, tensors: Record<string, Tensor>): Manifest {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const entries: TensorEntry[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new RangeError(`bad tensor name "${name}"`);
    const buf = bytesOf(t.data);
    const file = `${name}.bin`;
    writeFileSync(join(tmp, file), buf);
    entries.push({ name, dtype: t.dtype, shape: t.shape, file, sha256: createHash('sha256').update(buf).digest('hex') });
  }
  const manifest: Manifest = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    kind: input.kind,
    version: input.version,
    createdAt: new Date().toISOString(),
    hyperparameters: input.hyperparameters,
    dataFingerprint: input.dataFingerprint ?? null,
    metrics: input.metrics ?? {},
    tensors: entries,
    extra: input.extra ?? {},
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) fail('MODEL_NOT_FOUND', `no model at ${dir} (manifest.json missing)`, { hint: 'train one with `vitrine train <model>`' });
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    fail('MODEL_INCOMPATIBLE', `manifest at ${path} is not valid JSON`, { cause: e });
  }
  if (m.format !== ARTIFACT_FORMAT) fail('MODEL_INCOMPATIBLE', `${path} is not a vitrine artifact`);
  if (m.formatVersion > ARTIFACT_FORMAT_VERSION) {
    fail('MODEL_INCOMPATIBLE', `${path} has format version ${m.formatVersion}; this vitrine reads up to ${ARTIFACT_FORMAT_VERSION}`);
  }
  return m;
}

/**
 * Two artifact folders hold the same model: same kind, version and
 * hyperparameters, and the same tensors by name and checksum (a copy
 * written by save() again counts as the same; createdAt is not compared).
 * False when either cannot be read.
 */
export function sameArtifact(a: string, b: string): boolean {
  try {
    const ma = readManifest(a);
    const mb = readManifest(b);
    const sums = (m: Manifest): string => JSON.stringify(m.tensors.map((t) => [t.name, t.sha256]).sort());
    return ma.kind === mb.kind && ma.version === mb.version && JSON.stringify(ma.hyperparameters) === JSON.stringify(mb.hyperparameters) && sums(ma) === sums(mb);
  } catch {
    return false;
  }
}

/** A tensor from its file's bytes, checking size and checksum. */
function decodeTensor(dir: string, e: TensorEntry, buf: Buffer): Tensor {
  const sum = createHash('sha256').update(buf).digest('hex');
  if (sum !== e.sha256) fail('MODEL_INCOMPATIBLE', `tensor ${e.name} in ${dir} is corrupt (checksum mismatch)`);
  const Ctor = CTORS[e.dtype];
  const size = e.shape.reduce((a, b) => a * b, 1);
  if (buf.byteLength !== size * Ctor.BYTES_PER_ELEMENT) fail('MODEL_INCOMPATIBLE', `tensor ${e.name} in ${dir} has the wrong size`);
  // Copy into a fresh, aligned buffer.
  const data = new Ctor(size);
  Buffer.from(data.buffer).set(buf);
  return { dtype: e.dtype, shape: e.shape, data };
}

/** Reads every tensor of an artifact, checking sizes and checksums. */
export function readArtifact(dir: string): { manifest: Manifest; tensors: Map<string, Tensor> } {
  const manifest = readManifest(dir);
  const tensors = new Map<string, Tensor>();
  for (const e of manifest.tensors) tensors.set(e.name, decodeTensor(dir, e, readFileSync(join(dir, e.file))));
  return { manifest, tensors };
}

/**
 * readArtifact for a server that keeps answering while it loads: files are
 * read off the event loop and the loop gets a turn between tensors, so no
 * step blocks it for longer than one tensor's checksum and copy.
 */
export async function readArtifactAsync(dir: string): Promise<{ manifest: Manifest; tensors: Map<string, Tensor> }> {
  const manifest = readManifest(dir);
  const tensors = new Map<string, Tensor>();
  for (const e of manifest.tensors) {
    const buf = await readFile(join(dir, e.file));
    await new Promise((r) => setImmediate(r));
    tensors.set(e.name, decodeTensor(dir, e, buf));
  }
  return { manifest, tensors };
}

/** The tensor `name` of an artifact as the expected dtype, or MODEL_INCOMPATIBLE. */
export function requireTensor<D extends DType>(
  tensors: Map<string, Tensor>,
  name: string,
  dtype: D,
): Tensor & { data: InstanceType<(typeof CTORS)[D]> } {
  const t = tensors.get(name);
  if (t === undefined || t.dtype !== dtype) fail('MODEL_INCOMPATIBLE', `artifact lacks ${dtype} tensor "${name}"`);
  return t as Tensor & { data: InstanceType<(typeof CTORS)[D]> };
}

/** A short stable fingerprint of arrays (e.g. the training matrix), for manifests. */
export function fingerprint(...parts: (TypedArray | string | number)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    if (typeof p === 'string' || typeof p === 'number') h.update(String(p));
    else h.update(bytesOf(p));
  }
  return h.digest('hex').slice(0, 16);
}
