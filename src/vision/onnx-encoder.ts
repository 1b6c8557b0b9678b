import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readArtifact, requireTensor, tensor, writeArtifact } from '../core/artifact.js';
import { fail, VitrineError } from '../core/errors.js';
import { asBatch, l2normalize, type EncoderInput, type ImageEncoder } from './encoder.js';
import { onnxConfig, type OnnxEncoderConfig, type OnnxPreset } from './onnx-config.js';
import { checkModelIo, inputTensorData, poolOutput, type ModelIo } from './onnx-io.js';
import type { Rgb } from './prepare.js';

/**
 * A shop-supplied ImageNet backbone (a ResNet-50 or a CLIP image tower
 * exported to ONNX) run through onnxruntime-node on the CPU, as in paper
 * 002's ResNet feature extractor. The model's input and output are checked
 * against the config when it is opened, and one blank image is run to learn
 * the embedding size, so a wrong model fails at once with a clear error
 * rather than at the first search.
 *
 * Saved as an artifact: manifest.json (kind "onnx", the preprocessing config
 * as hyperparameters) and the .onnx bytes copied in as the uint8 tensor
 * `onnx` (onnx.bin, checksummed). Models with external weight files are not
 * supported.
 */

export const ONNX_VERSION = 1;

export interface OnnxEncoderOptions extends Partial<OnnxEncoderConfig> {
  /** Fills mean/std/pixelScale before the other settings. */
  preset?: OnnxPreset;
}

export class OnnxEncoder implements ImageEncoder {
  readonly kind = 'onnx';

  private constructor(
    readonly config: Readonly<OnnxEncoderConfig>,
    readonly dim: number,
    private readonly session: ort.InferenceSession,
    private readonly io: ModelIo,
    private readonly model: Uint8Array,
    /** File name the model came from, for reports. */
    readonly source: string,
  ) {}

  /** Opens an ONNX model (a path or its bytes) with the given preprocessing; checks it and learns `dim`. */
  static async create(model: string | Uint8Array, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
    const { preset, ...overrides } = options;
    const config = onnxConfig(overrides, preset);
    const source = typeof model === 'string' ? basename(model) : 'model.onnx';
    const bytes = typeof model === 'string' ? await readModelFile(model) : model;
    const session = await openSession(bytes, source, config.threads);
    try {
      const io = checkModelIo(session, config);
      const probe = await runBatch(session, io, config, new Float32Array(config.inputSize * config.inputSize * 3).fill(1), 1);
      const dim = probe[0]?.length ?? 0;
      if (dim === 0) fail('MODEL_INCOMPATIBLE', `${source}: output "${io.outputName}" gives an empty embedding`);
      return new OnnxEncoder(config, dim, session, io, bytes, source);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Reads an encoder saved by save(). */
  static async load(dir: string): Promise<OnnxEncoder> {
    const { manifest, tensors } = readArtifact(dir);
    if (manifest.kind !== 'onnx' || manifest.version > ONNX_VERSION) fail('MODEL_INCOMPATIBLE', `${dir} is not an ONNX encoder this vitrine can read`);
    const bytes = requireTensor(tensors, 'onnx', 'uint8').data;
    const enc = await OnnxEncoder.create(bytes, manifest.hyperparameters as Partial<OnnxEncoderConfig>);
    const source = (manifest.extra as { source?: string }).source;
    return source === undefined ? enc : new OnnxEncoder(enc.config, enc.dim, enc.session, enc.io, enc.model, source);
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  get background(): Rgb {
    return this.config.background;
  }

  async embed(images: EncoderInput): Promise<Float32Array[]> {
    const batch = asBatch(images, this.inputSize);
    const per = this.inputSize * this.inputSize * 3;
    const step = this.io.fixedBatch ?? this.config.batchSize;
    const out: Float32Array[] = [];
    for (let start = 0; start < batch.count; start += step) {
      const count = Math.min(step, batch.count - start);
      const chunk = batch.data.subarray(start * per, (start + count) * per);
      for (const v of await runBatch(this.session, this.io, this.config, chunk, count)) out.push(l2normalize(v));
    }
    return out;
  }

  describe(): Record<string, unknown> {
    return { kind: this.kind, dim: this.dim, inputSize: this.inputSize, source: this.source, input: this.io.inputName, output: this.io.outputName, config: { ...this.config } };
  }

  async save(dir: string): Promise<void> {
    writeArtifact(
      dir,
      { kind: this.kind, version: ONNX_VERSION, hyperparameters: { ...this.config }, extra: { dim: this.dim, source: this.source, input: this.io.inputName, output: this.io.outputName } },
      { onnx: tensor(this.model) },
    );
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') fail('FILE_NOT_FOUND', `no such ONNX model file: ${path}`);
    throw e;
  }
}

async function openSession(bytes: Uint8Array, source: string, threads: number): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    });
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    fail('MODEL_INCOMPATIBLE', `${source} is not an ONNX model onnxruntime can load (${why})`, { cause: e });
  }
}

/** Runs `count` NHWC images (padded to a fixed batch when the model has one) and pools the output. */
async function runBatch(session: ort.InferenceSession, io: ModelIo, c: Readonly<OnnxEncoderConfig>, nhwc: Float32Array, count: number): Promise<Float32Array[]> {
  const rows = io.fixedBatch ?? count;
  const s = c.inputSize;
  const dims = c.layout === 'nchw' ? [rows, 3, s, s] : [rows, s, s, 3];
  const input = new ort.Tensor('float32', inputTensorData(nhwc, count, rows, c), dims);
  let result: ort.InferenceSession.OnnxValueMapType;
  try {
    result = await session.run({ [io.inputName]: input }, [io.outputName]);
  } catch (e) {
    if (e instanceof VitrineError) throw e;
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    fail('MODEL_INCOMPATIBLE', `the ONNX model failed on a ${dims.join('x')} input (${why})`, { cause: e });
  }
  const out = result[io.outputName];
  if (out === undefined || out.type !== 'float32') fail('MODEL_INCOMPATIBLE', `output "${io.outputName}" is not a float32 tensor`);
  return poolOutput(out.data as Float32Array, out.dims.map(Number), count, c);
}
