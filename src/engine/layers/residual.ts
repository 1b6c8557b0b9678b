import type { Rng } from '../../core/rng.js';
import { tf } from '../tf.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { GroupNorm } from './group-norm.js';
import { prefixedParams, type ApplyOptions, type Layer } from './layer.js';

export interface ResidualConfig {
  inChannels: number;
  outChannels: number;
  /** Stride of the first convolution (2 halves the resolution); default 1. */
  stride?: number;
  /** 'batch' (default) or 'group' normalisation; group uses min(8, channels) groups that divide the channels. */
  norm?: 'batch' | 'group';
}

function norm(kind: 'batch' | 'group', channels: number, rng: Rng): Layer {
  if (kind === 'batch') return new BatchNorm({ channels }, rng);
  let groups = Math.min(8, channels);
  while (channels % groups !== 0) groups--;
  return new GroupNorm({ channels, groups }, rng);
}

/**
 * The basic residual block of He et al. 2016 ("Deep residual learning",
 * fig. 2): relu(x' + norm(conv3x3(relu(norm(conv3x3(x)))))), where x' is x,
 * or a strided 1x1 convolution of it when the shape changes (option B).
 */
export function residualBlock(config: ResidualConfig, rng: Rng): Layer {
  const { inChannels: cin, outChannels: cout } = config;
  const stride = config.stride ?? 1;
  const kind = config.norm ?? 'batch';
  const children: [string, Layer][] = [
    ['conv1', new Conv2d({ inChannels: cin, outChannels: cout, kernel: 3, stride, padding: 1, bias: false }, rng)],
    ['norm1', norm(kind, cout, rng)],
    ['conv2', new Conv2d({ inChannels: cout, outChannels: cout, kernel: 3, padding: 1, bias: false }, rng)],
    ['norm2', norm(kind, cout, rng)],
  ];
  if (stride !== 1 || cin !== cout) children.push(['shortcut', new Conv2d({ inChannels: cin, outChannels: cout, kernel: 1, stride, bias: false }, rng)]);
  const at = new Map(children);
  return {
    params: () => prefixedParams(children),
    apply: (x: tf.Tensor, opts?: ApplyOptions) => {
      const h = tf.relu(at.get('norm1')!.apply(at.get('conv1')!.apply(x), opts));
      const y = at.get('norm2')!.apply(at.get('conv2')!.apply(h), opts);
      const skip = at.get('shortcut')?.apply(x) ?? x;
      return tf.relu(tf.add(y, skip));
    },
    dispose: () => children.forEach(([, l]) => l.dispose()),
  };
}
