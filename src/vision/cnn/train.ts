import { fail, throwIfAborted } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { Rng } from '../../core/rng.js';
import type { Item } from '../../data/schema.js';
import { trainableVariables } from '../../engine/layers/index.js';
import { Adam } from '../../engine/optim/adam.js';
import { tf } from '../../engine/tf.js';
import type { ImageBatch } from '../prepare.js';
import { augmentBatch } from './augment.js';
import type { CnnEncoderConfig } from './config.js';
import { buildLabelSpace, encodeLabels, tupleGroups, type LabelSpace } from './labels.js';
import { headsLoss, supConLoss, weightPenalty } from './loss.js';
import { CnnNet } from './model.js';

/**
 * The training loop of the catalog CNN: seeded shuffles and augmentations,
 * mini-batches of Adam on the multi-head objective (loss.ts), a step drop of
 * the learning rate late in training, progress per batch and a report per
 * epoch through callbacks, and an AbortSignal checked between batches.
 * Deterministic for a seed on one backend.
 */

export interface CnnTrainingData {
  /** Prepared product images, aligned with `items`. */
  images: ImageBatch;
  items: readonly Item[];
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean total loss of the epoch's batches. */
  loss: number;
  /** Mean classification part, and contrastive part (0 when off). */
  headLoss: number;
  contrastiveLoss: number;
  learningRate: number;
  seconds: number;
}

export interface TrainCnnOptions {
  onProgress?: ProgressFn;
  onEpoch?: (r: EpochReport) => void;
  signal?: AbortSignal;
}

export interface TrainedCnn {
  net: CnnNet;
  space: LabelSpace;
  history: EpochReport[];
  seconds: number;
}

interface Step { total: number; heads: number; contrastive: number }

/** Trains a new CnnNet on `data` with `config`; the caller owns (and disposes) the returned net. */
export async function trainCnn(data: CnnTrainingData, config: Readonly<CnnEncoderConfig>, opts: TrainCnnOptions = {}): Promise<TrainedCnn> {
  const t0 = performance.now();
  const { images, items } = data;
  if (images.size !== config.inputSize) fail('INVALID_ARGUMENT', `training images are ${images.size}x${images.size}; the encoder takes ${config.inputSize}x${config.inputSize}`);
  if (images.count !== items.length) fail('INVALID_ARGUMENT', `${images.count} images for ${items.length} products`);
  if (items.length < 2) fail('INVALID_ARGUMENT', `the CNN encoder needs at least 2 product images to train, got ${items.length}`);
  const space = buildLabelSpace(items, config);
  const labels = encodeLabels(space, items);
  const groups = config.contrastiveWeight > 0 ? tupleGroups(space, labels, config.contrastiveAttributes) : undefined;
  const rng = new Rng(config.seed);
  const net = new CnnNet(config, space.heads.map((h) => h.classes.length), rng.fork('init'));
  const vars = trainableVariables(net);
  const batches = Math.ceil(items.length / config.batchSize);
  const dropEpoch = Math.round(config.lrDropAt * config.epochs);
  let opt = new Adam({ learningRate: config.learningRate });
  const history: EpochReport[] = [];
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const e0 = performance.now();
      if (epoch === dropEpoch && epoch > 0) {
        // A step schedule; Adam's state restarts with the lower rate (its bias correction keeps the first steps sane).
        opt.dispose();
        opt = new Adam({ learningRate: config.learningRate * config.lrDrop });
      }
      const order = rng.shuffle(Array.from({ length: items.length }, (_, i) => i));
      const sums = { total: 0, heads: 0, contrastive: 0, n: 0 };
      for (let b = 0; b < batches; b++) {
        throwIfAborted(opts.signal);
        const idx = order.slice(b * config.batchSize, (b + 1) * config.batchSize);
        // Batch norm needs two samples; a last batch of one is left out of this epoch.
        if (idx.length >= 2) {
          const s = step(net, opt, vars, images, idx, labels, space, groups, config, rng);
          sums.total += s.total;
          sums.heads += s.heads;
          sums.contrastive += s.contrastive;
          sums.n++;
        }
        opts.onProgress?.({ phase: 'train encoder', done: epoch * batches + b + 1, total: config.epochs * batches });
        // Let the event loop breathe between batches (progress bars, abort signals).
        await new Promise<void>((r) => setImmediate(r));
      }
      const n = Math.max(1, sums.n);
      const report: EpochReport = {
        epoch: epoch + 1, epochs: config.epochs, loss: sums.total / n, headLoss: sums.heads / n, contrastiveLoss: sums.contrastive / n,
        learningRate: epoch >= dropEpoch && dropEpoch > 0 ? config.learningRate * config.lrDrop : config.learningRate,
        seconds: (performance.now() - e0) / 1000,
      };
      history.push(report);
      opts.onEpoch?.(report);
    }
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return { net, space, history, seconds: (performance.now() - t0) / 1000 };
}

/** One Adam step on the batch `idx`; returns the loss and its parts. */
function step(
  net: CnnNet, opt: Adam, vars: tf.Variable[], images: ImageBatch, idx: number[], labels: readonly Int32Array[],
  space: LabelSpace, groups: Int32Array | undefined, config: Readonly<CnnEncoderConfig>, rng: Rng,
): Step {
  const size = images.size;
  const views = groups === undefined ? 1 : 2;
  const pixels = new Float32Array(views * idx.length * size * size * 3);
  for (let v = 0; v < views; v++) pixels.set(augmentBatch(images.data, size, idx, rng, config.augment), v * idx.length * size * size * 3);
  const batchLabels = labels.map((lab) => {
    const one = Int32Array.from(idx, (i) => lab[i]!);
    if (views === 1) return one;
    const two = new Int32Array(2 * idx.length);
    two.set(one);
    two.set(one, idx.length);
    return two;
  });
  const batchGroups = groups === undefined ? undefined : Int32Array.from(idx, (i) => groups[i]!);
  const weights = space.heads.map((h) => h.weight);
  const parts = { heads: 0, contrastive: 0 };
  const x = tf.tensor4d(pixels, [views * idx.length, size, size, 3]);
  try {
    const cost = opt.minimize(() => {
      const z = net.apply(x, { training: true });
      const ce = headsLoss(net, z, batchLabels, weights, config.headScale);
      let total = tf.add(ce, weightPenalty(vars, config.weightDecay));
      parts.heads = ce.dataSync()[0]!;
      if (batchGroups !== undefined) {
        const sc = supConLoss(z, batchGroups, config.temperature);
        parts.contrastive = sc.dataSync()[0]!;
        total = tf.add(total, tf.mul(sc, config.contrastiveWeight));
      }
      return total as tf.Scalar;
    }, true, vars);
    const total = cost!.dataSync()[0]!;
    cost!.dispose();
    if (!Number.isFinite(total)) fail('INTERNAL', 'the CNN encoder\'s training loss is not finite', { hint: 'lower learningRate' });
    return { total, ...parts };
  } finally {
    x.dispose();
  }
}
