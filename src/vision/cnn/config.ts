import { fail } from '../../core/errors.js';
import { checkInt, checkNumber, checkTriple, makeConfig } from '../config.js';
import { CATALOG_BACKGROUND, type Rgb } from '../prepare.js';

/**
 * Hyperparameters of the CNN image encoder trained on a shop's catalog
 * (conventions.md #3: a typed, frozen config with its defaults beside the
 * model). The defaults train the default world (2,000 products at 64x64) in
 * a few minutes on one core of this project's 2-core machine.
 */

export interface AugmentConfig {
  /** Zoom range: the product is drawn at a random scale in [min, max] (1 = as prepared). */
  scaleMin: number;
  scaleMax: number;
  /** Largest shift, as a share of the side, in x and y. */
  shift: number;
  /** Largest rotation in degrees, either way. */
  rotate: number;
  /** Mirror left-right with probability 1/2 (fine for garments; off for images with text). */
  flip: boolean;
  /** Largest additive brightness change (in [0, 1] units), small enough to keep the colour class. */
  brightness: number;
  /** Largest relative contrast change around the image mean. */
  contrast: number;
  /** Largest strength of the lighting gradient (0: none; 0.3: up to 30% towards white or black at the edges). */
  lighting: number;
}

export interface CnnEncoderConfig {
  /** Side of the square input (prepareImage's size). */
  inputSize: number;
  /** Channels of the stem and of each residual stage; every stage after the first halves the resolution. */
  widths: readonly number[];
  /** Length of the L2-normalised embedding. */
  embedDim: number;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate for the first part of training. */
  learningRate: number;
  /** Share of the epochs after which the learning rate drops by `lrDrop` (a step schedule). */
  lrDropAt: number;
  lrDrop: number;
  /** L2 penalty on convolution and dense weights (not on norms or biases). */
  weightDecay: number;
  /** Scale s of the cosine classifiers (NormFace: logits = s · cos(embedding, class weight)). */
  headScale: number;
  /**
   * Share of the search embedding given to the heads' predictions: the
   * embedding is [√(1−a)·e, √a·h] where e is the unit feature embedding and
   * h the unit concatenation of √(softmax) of every head (a Hellinger
   * embedding of the predicted attributes). 0: features only (what encoders
   * saved before this setting existed embed); 1: predictions only. On the
   * world's exact-attribute search (bench search's queries, one encoder
   * trained on trimmed images): mAP@10 0.669 at 0, 0.805 at 0.7, 0.819 at
   * 0.85, 0.829 at 1; 0.85 keeps some of the features' finer likeness for
   * ranking within a class.
   */
  headsWeight: number;
  /**
   * Weight of the supervised contrastive term (Khosla et al. 2020) over two
   * augmented views per image, positives sharing every attribute in
   * `contrastiveAttributes`; 0 turns it off (and the second view with it).
   */
  contrastiveWeight: number;
  /** Temperature tau of the contrastive term. */
  temperature: number;
  /** Attributes ("category" or an attribute name) that make two products the same for the contrastive term; empty: every head. */
  contrastiveAttributes: readonly string[];
  /** Attributes to classify ("category" or attribute names); empty: every categorical attribute found in the data. */
  attributes: readonly string[];
  /** Loss weight per head by name (missing: 1). */
  headWeights: Readonly<Record<string, number>>;
  /** A class needs this many training products (rarer values count as unlabelled). */
  minClassCount: number;
  /** Heads with more classes than this are left out (ids, free text). */
  maxClasses: number;
  augment: Readonly<AugmentConfig>;
  /** Padding colour of prepareImage, 0..255 per channel. */
  background: Rgb;
  /**
   * Cut catalog images and queries to the product before padding
   * (prepareImage's trim), so small products are seen as large as big ones
   * (patterns stay several pixels wide at 64x64). On the world's search
   * bench (same settings otherwise): exact-attribute mAP@10 0.654 -> 0.669
   * with the features alone, 0.762 -> 0.819 with the heads joined
   * (headsWeight 0.85). Encoders saved before this setting existed prepare
   * without it.
   */
  trim: boolean;
  /**
   * Embed each image and its mirror image and average the two (test-time
   * augmentation; the training already flips): a photo and its mirror then
   * embed alike, at twice the encoding cost. On the world's search bench
   * (the committed encoder): exact-attribute mAP@10 0.819 -> 0.840.
   * Encoders saved before this setting existed embed without it. The
   * descriptor heads read the photo as it is (their gradient and diagonal
   * texture features are not mirror-symmetric), so with them a photo and
   * its mirror embed nearly, not exactly, alike.
   */
  flipAverage: boolean;
  /**
   * Weight β of the descriptor heads (descriptor-heads.ts): each head's
   * predicted attributes become p ∝ p_cnn · p_desc^β, p_desc from a logistic
   * regression over colour, gradient and texture descriptors of the
   * full-resolution photo. 0 turns them off (what encoders saved before this
   * setting existed do). They only change the heads' part of the search
   * embedding (headsWeight > 0). On the world's search bench, with the
   * encoder committed before them (its CNN unchanged, two query sets of
   * 200): exact-attribute mAP@10 0.837 -> 0.889 and 0.837 -> 0.887 at
   * β = 1 (0.872-0.876 at 0.5, 0.876-0.888 at 2), 0.880 on the first set
   * when that CNN (trained on 64-px resizes) is fed the 128-px photo
   * averaged down as the encoder now does. The encoder retrained with them
   * (models/encoder): 0.891 and 0.900. Pattern accuracy on the queries
   * 0.84 -> 0.92; category alone 0.879 -> 0.850 (the sharper colour and
   * pattern predictions outweigh it in the ranking). They cost ~15 ms
   * per photo on one core (the CNN alone ~3 ms).
   */
  descriptorWeight: number;
  /**
   * With descriptor heads on, the encoder takes photos detailFactor times
   * inputSize wide: the descriptors read them at that size and the CNN sees
   * them averaged down to inputSize (in training too).
   */
  detailFactor: number;
  seed: number;
}

export const AUGMENT_DEFAULTS: Readonly<AugmentConfig> = Object.freeze({
  scaleMin: 0.85,
  scaleMax: 1.1,
  shift: 0.08,
  rotate: 8,
  flip: true,
  brightness: 0.05,
  contrast: 0.1,
  lighting: 0.3,
});

export const CNN_DEFAULTS: Readonly<CnnEncoderConfig> = Object.freeze({
  inputSize: 64,
  widths: Object.freeze([32, 64, 128, 256]),
  embedDim: 128,
  epochs: 16,
  batchSize: 64,
  learningRate: 2e-3,
  lrDropAt: 0.75,
  lrDrop: 0.1,
  weightDecay: 5e-5,
  headScale: 16,
  headsWeight: 0.85,
  contrastiveWeight: 0,
  temperature: 0.1,
  contrastiveAttributes: Object.freeze([]),
  attributes: Object.freeze([]),
  headWeights: Object.freeze({}),
  minClassCount: 2,
  maxClasses: 256,
  augment: AUGMENT_DEFAULTS,
  background: CATALOG_BACKGROUND,
  trim: true,
  flipAverage: true,
  descriptorWeight: 1,
  detailFactor: 2,
  seed: 1,
});

export const CNN_VERSION = 1;

const W = 'cnn encoder';

function checkAugment(a: AugmentConfig): void {
  checkNumber(W, 'augment.scaleMin', a.scaleMin, 0.25, 4);
  checkNumber(W, 'augment.scaleMax', a.scaleMax, a.scaleMin, 4);
  checkNumber(W, 'augment.shift', a.shift, 0, 0.5);
  checkNumber(W, 'augment.rotate', a.rotate, 0, 180);
  checkNumber(W, 'augment.brightness', a.brightness, 0, 0.5);
  checkNumber(W, 'augment.contrast', a.contrast, 0, 0.9);
  checkNumber(W, 'augment.lighting', a.lighting, 0, 1);
  if (typeof a.flip !== 'boolean') fail('INVALID_ARGUMENT', `${W}: augment.flip must be true or false`);
}

function checkStrings(name: string, v: unknown): void {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) fail('INVALID_ARGUMENT', `${W}: ${name} must be a list of names`);
}

function checkCnn(c: CnnEncoderConfig): void {
  checkInt(W, 'inputSize', c.inputSize, 8, 512);
  if (!Array.isArray(c.widths) || c.widths.length < 1 || c.widths.length > 6) fail('INVALID_ARGUMENT', `${W}: widths must list 1 to 6 stage widths`);
  c.widths.forEach((w, i) => checkInt(W, `widths[${i}]`, w, 1, 2048));
  // The stem and its pooling divide by 4, each later stage by 2: the last map must keep at least one pixel.
  if (c.inputSize / 2 ** (c.widths.length + 1) < 1) fail('INVALID_ARGUMENT', `${W}: inputSize ${c.inputSize} is too small for ${c.widths.length} stages`);
  checkInt(W, 'embedDim', c.embedDim, 2, 4096);
  checkInt(W, 'epochs', c.epochs, 0, 10_000);
  checkInt(W, 'batchSize', c.batchSize, 2, 4096);
  checkNumber(W, 'learningRate', c.learningRate, 1e-7, 1);
  checkNumber(W, 'lrDropAt', c.lrDropAt, 0, 1);
  checkNumber(W, 'lrDrop', c.lrDrop, 1e-4, 1);
  checkNumber(W, 'weightDecay', c.weightDecay, 0, 1);
  checkNumber(W, 'headScale', c.headScale, 1, 100);
  checkNumber(W, 'headsWeight', c.headsWeight, 0, 1);
  checkNumber(W, 'contrastiveWeight', c.contrastiveWeight, 0, 100);
  checkNumber(W, 'temperature', c.temperature, 0.01, 10);
  checkStrings('contrastiveAttributes', c.contrastiveAttributes);
  checkStrings('attributes', c.attributes);
  for (const [k, v] of Object.entries(c.headWeights)) checkNumber(W, `headWeights.${k}`, v, 0, 100);
  checkInt(W, 'minClassCount', c.minClassCount, 1);
  checkInt(W, 'maxClasses', c.maxClasses, 2);
  checkAugment(c.augment);
  checkTriple(W, 'background', c.background, 0, 255);
  if (typeof c.trim !== 'boolean') fail('INVALID_ARGUMENT', `${W}: trim must be true or false`);
  if (typeof c.flipAverage !== 'boolean') fail('INVALID_ARGUMENT', `${W}: flipAverage must be true or false`);
  checkNumber(W, 'descriptorWeight', c.descriptorWeight, 0, 10);
  checkInt(W, 'detailFactor', c.detailFactor, 1, 4);
  if (c.inputSize * c.detailFactor > 1024) fail('INVALID_ARGUMENT', `${W}: inputSize x detailFactor must be at most 1024 pixels`);
  checkInt(W, 'seed', c.seed, 0, 2 ** 32 - 1);
}

/** The defaults with `overrides` (augment merged key by key), validated and frozen. */
export function cnnConfig(overrides: Partial<Omit<CnnEncoderConfig, 'augment'>> & { augment?: Partial<AugmentConfig> } = {}): Readonly<CnnEncoderConfig> {
  const augment = makeConfig(`${W} augment`, AUGMENT_DEFAULTS, overrides.augment, () => undefined);
  return makeConfig(W, CNN_DEFAULTS, { ...overrides, augment }, checkCnn);
}

/** The encoder has descriptor heads: their weight and the heads' share of the embedding are both above 0. */
export function hasDescriptors(c: Readonly<CnnEncoderConfig>): boolean {
  return c.descriptorWeight > 0 && c.headsWeight > 0;
}

/** Side of the photos the encoder takes: inputSize, or detailFactor times it with descriptor heads. */
export function cnnImageSize(c: Readonly<CnnEncoderConfig>): number {
  return hasDescriptors(c) ? c.inputSize * c.detailFactor : c.inputSize;
}

/** The config's input for cnnConfig, as plain JSON (for manifests). */
export function cnnConfigJson(c: Readonly<CnnEncoderConfig>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
}
