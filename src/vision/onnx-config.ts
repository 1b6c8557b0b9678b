import { fail } from '../core/errors.js';
import { checkInt, checkNumber, checkOneOf, checkTriple, makeConfig } from './config.js';
import { CATALOG_BACKGROUND, type Rgb } from './prepare.js';

/**
 * How a shop's ONNX backbone wants its input and how its output becomes an
 * embedding. Defaults fit a torchvision ResNet-50 export (224x224 NCHW RGB,
 * ImageNet mean/std, a pooled [N, 2048] output or a [N, C, H, W] feature map);
 * the `clip` preset gives CLIP's normalisation (Radford et al. 2021).
 */

export type Triple = readonly [number, number, number];

export const ONNX_LAYOUTS = ['nchw', 'nhwc'] as const;
export type OnnxLayout = (typeof ONNX_LAYOUTS)[number];

/**
 * How the chosen output becomes one vector per image: `auto` uses a [N, D]
 * output as it is, averages a [N, C, H, W] feature map over space, and takes
 * the first (class) token of a [N, T, D] token sequence; `avg` averages over
 * space or tokens; `first-token` takes token 0; `none` flattens.
 */
export const ONNX_POOLINGS = ['auto', 'avg', 'first-token', 'none'] as const;
export type OnnxPooling = (typeof ONNX_POOLINGS)[number];

export interface OnnxEncoderConfig {
  /** Side of the square input the model takes. */
  inputSize: number;
  /** Memory layout of the model's image input. */
  layout: OnnxLayout;
  /** Channel order the model expects. */
  channelOrder: 'rgb' | 'bgr';
  /** Pixels in [0, 1] are multiplied by this first (255 for models trained on 0..255 input). */
  pixelScale: number;
  /** Per-channel mean subtracted after scaling, in the model's channel order. */
  mean: Triple;
  /** Per-channel standard deviation divided by after the mean. */
  std: Triple;
  /** Input to feed; null: the model's only input. */
  inputName: string | null;
  /** Output to read; null: the model's first output. */
  outputName: string | null;
  pooling: OnnxPooling;
  /** Layout of a 4-d feature-map output (where the channels are). */
  featureLayout: OnnxLayout;
  /** Images per inference call. */
  batchSize: number;
  /** Padding colour of prepareImage (0..255). */
  background: Rgb;
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose. */
  threads: number;
}

export const IMAGENET_MEAN: Triple = Object.freeze([0.485, 0.456, 0.406]) as Triple;
export const IMAGENET_STD: Triple = Object.freeze([0.229, 0.224, 0.225]) as Triple;
export const CLIP_MEAN: Triple = Object.freeze([0.48145466, 0.4578275, 0.40821073]) as Triple;
export const CLIP_STD: Triple = Object.freeze([0.26862954, 0.26130258, 0.27577711]) as Triple;

export const ONNX_DEFAULTS: Readonly<OnnxEncoderConfig> = Object.freeze({
  inputSize: 224,
  layout: 'nchw',
  channelOrder: 'rgb',
  pixelScale: 1,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
  inputName: null,
  outputName: null,
  pooling: 'auto',
  featureLayout: 'nchw',
  batchSize: 16,
  background: CATALOG_BACKGROUND,
  threads: 0,
});

/** Named normalisation presets, for the CLI (`--config preset=clip`). */
export const ONNX_PRESETS = {
  imagenet: { mean: IMAGENET_MEAN, std: IMAGENET_STD, pixelScale: 1 },
  clip: { mean: CLIP_MEAN, std: CLIP_STD, pixelScale: 1 },
  none: { mean: [0, 0, 0] as Triple, std: [1, 1, 1] as Triple, pixelScale: 1 },
} as const satisfies Record<string, Partial<OnnxEncoderConfig>>;

export type OnnxPreset = keyof typeof ONNX_PRESETS;

function checkOnnx(c: OnnxEncoderConfig): void {
  const w = 'onnx encoder';
  checkInt(w, 'inputSize', c.inputSize, 1, 4096);
  checkOneOf(w, 'layout', c.layout, ONNX_LAYOUTS);
  checkOneOf(w, 'featureLayout', c.featureLayout, ONNX_LAYOUTS);
  checkOneOf(w, 'channelOrder', c.channelOrder, ['rgb', 'bgr'] as const);
  checkOneOf(w, 'pooling', c.pooling, ONNX_POOLINGS);
  checkNumber(w, 'pixelScale', c.pixelScale, Number.MIN_VALUE, 65535);
  checkTriple(w, 'mean', c.mean, -1e6, 1e6);
  checkTriple(w, 'std', c.std, 1e-12, 1e6);
  checkInt(w, 'batchSize', c.batchSize, 1, 4096);
  checkTriple(w, 'background', c.background, 0, 255);
  checkInt(w, 'threads', c.threads, 0, 256);
  for (const k of ['inputName', 'outputName'] as const) {
    const v = c[k];
    if (v !== null && (typeof v !== 'string' || v === '')) fail('INVALID_ARGUMENT', `${w}: ${k} must be a non-empty name or null, got ${JSON.stringify(v)}`);
  }
}

/** Validated, frozen ONNX encoder config; `preset` fills mean/std/pixelScale before the overrides. */
export function onnxConfig(overrides: Partial<OnnxEncoderConfig> = {}, preset?: OnnxPreset): Readonly<OnnxEncoderConfig> {
  const base = preset === undefined ? ONNX_DEFAULTS : { ...ONNX_DEFAULTS, ...ONNX_PRESETS[preset] };
  return makeConfig('onnx encoder', base, overrides, checkOnnx);
}
