import { fail } from '../core/errors.js';
import { readArtifact, tensor, writeArtifact, type Manifest, type ManifestInput, type Tensor } from '../core/artifact.js';
import type { Layer } from './layers/layer.js';
import { tf } from './tf.js';

/**
 * A model's named variables as a vitrine artifact (core/artifact.ts:
 * manifest.json with kind, version and hyperparameters, plus one raw
 * little-endian float32 file per variable), and back. Loading assigns into
 * an already-built model of the same architecture, so the bytes round-trip
 * exactly and the outputs are bitwise identical.
 */

/** Anything with named parameters: a Layer, or several composed. */
export type ParamOwner = Pick<Layer, 'params'>;

/** Writes every parameter of `model` (trainable or not) to `dir`, with `extra` tensors that are not parameters (names must not clash). */
export function saveModelArtifact(dir: string, model: ParamOwner, manifest: ManifestInput, extra: Record<string, Tensor> = {}): Manifest {
  const tensors: Record<string, Tensor> = { ...extra };
  for (const [name, v] of model.params()) {
    if (v.dtype !== 'float32') fail('INVALID_ARGUMENT', `parameter ${name} is ${v.dtype}; artifacts hold float32 parameters`);
    if (name in extra) fail('INVALID_ARGUMENT', `tensor ${name} is both a parameter and an extra tensor`);
    tensors[name] = tensor(Float32Array.from(v.dataSync() as Float32Array), [...v.shape]);
  }
  return writeArtifact(dir, manifest, tensors);
}

export interface LoadOptions {
  /** The kind the artifact must have. */
  kind: string;
  /** The newest layout version this code reads (default 1). */
  maxVersion?: number;
  /** Saved tensors whose names start with this are not parameters (saveModelArtifact's extra): left to the caller. */
  extraPrefix?: string;
  /** The artifact, when the caller has read it already (readArtifact). */
  artifact?: { manifest: Manifest; tensors: Map<string, Tensor> };
}

/**
 * Assigns the parameters saved in `dir` to `model`'s variables by name.
 * MODEL_INCOMPATIBLE when the kind, version, names or shapes differ.
 */
export function loadModelArtifact(dir: string, model: ParamOwner, opts: LoadOptions): Manifest {
  const { manifest, tensors } = opts.artifact ?? readArtifact(dir);
  if (manifest.kind !== opts.kind) fail('MODEL_INCOMPATIBLE', `${dir} holds a "${manifest.kind}" model, not "${opts.kind}"`);
  if (manifest.version > (opts.maxVersion ?? 1)) fail('MODEL_INCOMPATIBLE', `${dir} has ${opts.kind} layout version ${manifest.version}; this vitrine reads up to ${opts.maxVersion ?? 1}`);
  const params = model.params();
  const missing = [...params.keys()].filter((n) => !tensors.has(n));
  const extra = [...tensors.keys()].filter((n) => !params.has(n) && (opts.extraPrefix === undefined || !n.startsWith(opts.extraPrefix)));
  if (missing.length > 0 || extra.length > 0) {
    fail('MODEL_INCOMPATIBLE', `parameters of ${dir} do not match the model (missing: ${missing.join(', ') || '-'}; unexpected: ${extra.join(', ') || '-'})`);
  }
  for (const [name, v] of params) {
    const t = tensors.get(name)!;
    if (t.dtype !== 'float32' || t.shape.join(',') !== v.shape.join(',')) {
      fail('MODEL_INCOMPATIBLE', `parameter ${name}: saved ${t.dtype} [${t.shape.join(',')}], model has [${v.shape.join(',')}]`);
    }
  }
  for (const [name, v] of params) {
    const t = tensors.get(name)!;
    tf.tidy(() => v.assign(tf.tensor(t.data as Float32Array, t.shape, 'float32')));
  }
  return manifest;
}
