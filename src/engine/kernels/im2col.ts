import type { ConvGeometry } from '../conv-geometry.js';

/**
 * The TypeScript im2col/col2im of vitrine's wasm convolution kernels (the
 * C twins are in native/src/conv.c). Output row r = (n, oy, ox); column
 * (i·kw + j)·cin + c, K = kh·kw·cin, so cols · W[K, cout] is the convolution.
 */

/** cols[(r - r0)·K + (i·kw + j)·cin + c] = x[n, oy·sh + i·dh - pt, ox·sw + j·dw - pl, c], 0 in the padding. */
export function im2colRows(x: Float32Array, g: ConvGeometry, r0: number, r1: number, cols: Float32Array): void {
  forEachTap(g, r0, r1, (d, s) => {
    if (s < 0) cols.fill(0, d, d + g.cin);
    else if (g.cin >= 16) cols.set(x.subarray(s, s + g.cin), d);
    else for (let c = 0; c < g.cin; c++) cols[d + c] = x[s + c]!;
  });
}

/** The adjoint of im2colRows: dx[n, iy, ix, c] += dcols[(r - r0)·K + (i·kw + j)·cin + c]. */
export function col2imAddRows(dcols: Float32Array, g: ConvGeometry, r0: number, r1: number, dx: Float32Array): void {
  forEachTap(g, r0, r1, (d, s) => {
    if (s < 0) return;
    for (let c = 0; c < g.cin; c++) dx[s + c]! += dcols[d + c]!;
  });
}

/** visit(column offset, input offset or -1 in the padding) for every (row, tap) of rows [r0, r1). */
function forEachTap(g: ConvGeometry, r0: number, r1: number, visit: (d: number, s: number) => void): void {
  const plane = g.oh * g.ow;
  let d = 0;
  for (let r = r0; r < r1; r++) {
    const n = Math.floor(r / plane);
    const oy = Math.floor((r % plane) / g.ow);
    const ox = r % g.ow;
    const xn = n * g.h * g.w * g.cin;
    for (let i = 0; i < g.kh; i++) {
      const iy = oy * g.sh + i * g.dh - g.pt;
      for (let j = 0; j < g.kw; j++) {
        const ix = ox * g.sw + j * g.dw - g.pl;
        visit(d, iy < 0 || iy >= g.h || ix < 0 || ix >= g.w ? -1 : xn + (iy * g.w + ix) * g.cin);
        d += g.cin;
      }
    }
  }
}

/** dst[c·rows + r] = src[r·cols + c]: a rows x cols matrix transposed. */
export function transpose2d(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[base + c]!;
  }
}
