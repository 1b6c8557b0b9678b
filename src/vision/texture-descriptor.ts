import type { Rgb } from './prepare.js';

/**
 * A texture descriptor of the product in an image: the normalised
 * variogram of its pixels. For a channel v (luminance and two colour
 * opponents) and an offset d, γ(d) = mean over product pixel pairs of
 * (v(p) − v(p + d))² / (2 var v), at distances 1 to 16 pixels (for a
 * 128-pixel image; scaled with the side) in four directions (horizontal,
 * vertical, both diagonals), plus each channel's standard deviation.
 * Stripes vary across one direction only, checks along both axes, dots and
 * prints in every direction with different periods: a periodic pattern
 * shows as dips of γ at multiples of its period. Only pixels inside the
 * product count (not the padding, nor a 3-pixel band along the outline,
 * whose edges would dominate). Computed at the full resolution of the
 * photo (before the CNN's downsampling), where fine patterns are still
 * resolved.
 */

const DIRECTIONS: readonly (readonly [number, number])[] = [[1, 0], [0, 1], [1, 1], [1, -1]];
/** Offsets for a 128-pixel image. */
const SHIFTS_128 = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16];
/** Band along the outline left out, in pixels of a 128-pixel image. */
const OUTLINE_128 = 3;
/** Per-channel difference (0..1) from the padding colour that makes a pixel part of the product. */
const FOREGROUND_TOLERANCE = 0.03;
const CHANNELS = 3;

/** Length of the descriptor. */
export const TEXTURE_DIM = CHANNELS * (1 + DIRECTIONS.length * SHIFTS_128.length);

/** The descriptor of one NHWC image (size x size x 3, values in [0, 1]) on a `background` (0..255) padding. */
export function textureDescriptor(px: Float32Array, size: number, background: Rgb): Float32Array {
  const n = size * size;
  const scale = size / 128;
  const bg = background.map((v) => v / 255);
  const chans = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = px[3 * i]!, g = px[3 * i + 1]!, b = px[3 * i + 2]!;
    chans[0]![i] = 0.299 * r + 0.587 * g + 0.114 * b;
    chans[1]![i] = r - g;
    chans[2]![i] = (r + g) / 2 - b;
    fg[i] = Math.abs(r - bg[0]!) > FOREGROUND_TOLERANCE || Math.abs(g - bg[1]!) > FOREGROUND_TOLERANCE || Math.abs(b - bg[2]!) > FOREGROUND_TOLERANCE ? 1 : 0;
  }
  const inner = erode(fg, size, Math.max(1, Math.round(OUTLINE_128 * scale)));
  const shifts = SHIFTS_128.map((s) => Math.max(1, Math.round(s * scale)));
  let count = 0;
  for (let i = 0; i < n; i++) count += inner[i]!;
  const pixels = new Int32Array(count);
  for (let i = 0, p = 0; i < n; i++) if (inner[i] === 1) pixels[p++] = i;
  const out = new Float32Array(TEXTURE_DIM);
  const variances = chans.map((v) => {
    let s = 0, s2 = 0;
    for (const i of pixels) {
      s += v[i]!;
      s2 += v[i]! * v[i]!;
    }
    const c = pixels.length;
    return c > 1 ? Math.max(0, s2 / c - (s / c) ** 2) : 0;
  });
  const per = 1 + DIRECTIONS.length * shifts.length;
  variances.forEach((v, c) => (out[c * per] = Math.sqrt(v)));
  DIRECTIONS.forEach(([dx, dy], d) => {
    shifts.forEach((k, s) => {
      const sv = semivariances(chans, inner, pixels, size, dx * k, dy * k);
      for (let c = 0; c < CHANNELS; c++) out[c * per + 1 + d * shifts.length + s] = variances[c]! > 1e-6 ? sv[c]! / (2 * variances[c]!) : 0;
    });
  });
  return out;
}

/** Per channel, the mean of (v(p) − v(p + (dx, dy)))² over the pairs with both pixels in `mask` (p from `pixels`); 0 without pairs. */
function semivariances(chans: readonly Float32Array[], mask: Uint8Array, pixels: Int32Array, size: number, dx: number, dy: number): number[] {
  const [a, b, c] = chans as [Float32Array, Float32Array, Float32Array];
  const off = dy * size + dx;
  let sa = 0, sb = 0, sc = 0, m = 0;
  // p + (dx, dy) stays in the image for x in [x0, x1) and y in [y0, y1): i in [y0 * size, y1 * size) and i % size in range.
  const x0 = Math.max(0, -dx), x1 = Math.min(size, size - dx);
  const lo = Math.max(0, -dy) * size, hi = Math.min(size, size - dy) * size;
  for (let p = 0; p < pixels.length; p++) {
    const i = pixels[p]!;
    if (i < lo || i >= hi) continue;
    const x = i % size;
    if (x < x0 || x >= x1) continue;
    const j = i + off;
    if (mask[j] === 0) continue;
    const da = a[i]! - a[j]!, db = b[i]! - b[j]!, dc = c[i]! - c[j]!;
    sa += da * da;
    sb += db * db;
    sc += dc * dc;
    m++;
  }
  return m > 0 ? [sa / m, sb / m, sc / m] : [0, 0, 0];
}

/** The mask's pixels whose 3x3 neighbours at distance `r` (in x and y) are all in the mask. */
function erode(mask: Uint8Array, size: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = r; y < size - r; y++) {
    for (let x = r; x < size - r; x++) {
      let all = 1;
      for (let dy = -r; dy <= r && all === 1; dy += r) {
        for (let dx = -r; dx <= r; dx += r) {
          if (mask[(y + dy) * size + x + dx] === 0) {
            all = 0;
            break;
          }
        }
      }
      out[y * size + x] = all;
    }
  }
  return out;
}
