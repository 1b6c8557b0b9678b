import type { ImageBatch } from '../prepare.js';

/**
 * Patterned test "products" for the texture descriptor and the descriptor
 * heads: a rectangle of two colours in a pattern (solid, horizontal or
 * vertical stripes, checks) on a white background.
 */

export type TestPattern = 'solid' | 'hstripes' | 'vstripes' | 'checks';
export const TEST_PATTERNS: readonly TestPattern[] = ['solid', 'hstripes', 'vstripes', 'checks'];

export interface PatternOptions {
  /** Stripe width in pixels (the period is twice that). */
  width: number;
  /** Margin of white background around the product, in pixels. */
  margin: number;
  /** Offset of the pattern's phase, in pixels. */
  phase?: number;
  colours?: readonly [readonly [number, number, number], readonly [number, number, number]];
}

/** One NHWC image (size x size x 3 in [0, 1]) of `pattern`. */
export function patternImage(pattern: TestPattern, size: number, opts: PatternOptions): Float32Array {
  const [a, b] = opts.colours ?? [[0.8, 0.1, 0.1], [0.1, 0.2, 0.7]];
  const px = new Float32Array(size * size * 3).fill(1);
  const phase = opts.phase ?? 0;
  for (let y = opts.margin; y < size - opts.margin; y++) {
    for (let x = opts.margin; x < size - opts.margin; x++) {
      const row = Math.floor((y + phase) / opts.width) % 2;
      const col = Math.floor((x + phase) / opts.width) % 2;
      const second = pattern === 'hstripes' ? row === 1 : pattern === 'vstripes' ? col === 1 : pattern === 'checks' ? row !== col : false;
      const c = second ? b : a;
      px.set(c, (y * size + x) * 3);
    }
  }
  return px;
}

/** `n` images cycling through the patterns with varied stripe widths, phases and colours; labels are pattern indices. */
export function patternBatch(n: number, size: number, seed = 0): { images: ImageBatch; labels: Int32Array } {
  const per = size * size * 3;
  const data = new Float32Array(n * per);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i + seed;
    labels[i] = i % TEST_PATTERNS.length;
    const hue = (k * 0.37) % 1;
    const colours = [[0.2 + 0.6 * hue, 0.3, 0.9 - 0.6 * hue], [0.9 - 0.5 * hue, 0.8 * hue, 0.2]] as const;
    data.set(patternImage(TEST_PATTERNS[labels[i]!]!, size, { width: 2 + (k % 3), margin: 3 + (k % 4), phase: k % 5, colours }), i * per);
  }
  return { images: { count: n, size, data }, labels };
}
