import { existsSync, statSync } from 'node:fs';
import { readManifest } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import { ClassicEncoder } from './classic-encoder.js';
import { CnnEncoder } from './cnn/cnn-encoder.js';
import type { ImageEncoder } from './encoder.js';
import { OnnxEncoder, type OnnxEncoderOptions } from './onnx-encoder.js';

/**
 * Saved encoders load through this closed table (conventions.md #8): the
 * manifest's kind picks the loader, and no code is ever read from the
 * artifact. The CNN trained on the catalog adds its kind and loader here.
 */

export const ENCODER_KINDS = ['classic', 'onnx', 'cnn'] as const;
export type EncoderKind = (typeof ENCODER_KINDS)[number];

type Loader = (dir: string) => Promise<ImageEncoder>;

const LOADERS = {
  classic: async (dir) => ClassicEncoder.load(dir),
  onnx: (dir) => OnnxEncoder.load(dir),
  cnn: (dir) => CnnEncoder.load(dir),
} satisfies Record<EncoderKind, Loader>;

export function isEncoderKind(kind: string): kind is EncoderKind {
  return (ENCODER_KINDS as readonly string[]).includes(kind);
}

/** Loads the encoder saved in `dir` (an artifact written by encoder.save). */
export async function loadEncoder(dir: string): Promise<ImageEncoder> {
  const { kind } = readManifest(dir);
  if (!isEncoderKind(kind)) fail('MODEL_INCOMPATIBLE', `${dir} holds a "${kind}", not an image encoder`, { hint: `encoder kinds: ${ENCODER_KINDS.join(', ')}` });
  return LOADERS[kind](dir);
}

/**
 * The encoder a command names: "classic" (the baseline with defaults), a
 * saved encoder's directory, or an .onnx file (opened with `onnxOptions`).
 */
export async function resolveEncoder(spec: string, onnxOptions: OnnxEncoderOptions = {}): Promise<ImageEncoder> {
  if (spec === 'classic') return new ClassicEncoder();
  if (!existsSync(spec)) {
    fail('FILE_NOT_FOUND', `no encoder "${spec}"`, { hint: 'use "classic", a saved encoder folder, or an .onnx model file' });
  }
  if (statSync(spec).isDirectory()) return loadEncoder(spec);
  if (spec.toLowerCase().endsWith('.onnx')) return OnnxEncoder.create(spec, onnxOptions);
  fail('INVALID_ARGUMENT', `${spec} is neither a saved encoder folder nor an .onnx model`);
}
