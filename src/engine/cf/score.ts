/**
 * Batched dot-product scoring: scores[r, i] = x_{rows[r]} · y_i, i.e. a
 * block of the user-factor x item-factor matrix product, for matrix
 * factorisation models (ALS, BPR) and the batched top-k in rank.ts.
 *
 * Plain JS has no SIMD, so the kernel is register-blocked: 4 users x 4 items
 * per inner loop (16 accumulators), reading both operands from "panels" that
 * hold 4 rows interleaved k-major, so every load is sequential. Packing the
 * items costs one pass over y; models cache the packed panels.
 */

/** Rows per panel: the register block is PANEL users x PANEL items. */
export const PANEL = 4;

/** Length of the panel buffer for n rows of f factors (n rounded up to PANEL). */
export function panelLength(n: number, f: number): number {
  return Math.ceil(n / PANEL) * PANEL * f;
}

/**
 * Packs rows [0, n) of the row-major n x f matrix y into panels:
 * out[p*PANEL*f + k*PANEL + t] = y[(p*PANEL + t)*f + k], zero for padding rows.
 */
export function packPanels(y: Float32Array, f: number, n: number, out = new Float32Array(panelLength(n, f))): Float32Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const base = (i - (i % PANEL)) * f + (i % PANEL);
    const yo = i * f;
    for (let k = 0; k < f; k++) out[base + k * PANEL] = y[yo + k]!;
  }
  return out;
}

/**
 * out[r * nItems + i] = x_{rows[r]} · y_i for r < rows.length, i < nItems,
 * where `panels` = packPanels(y, f, nItems) and x is row-major with f columns.
 * `out` must hold rows.length * nItems values.
 */
export function scoreRowsPacked(
  x: Float32Array,
  rows: Int32Array,
  panels: Float32Array,
  f: number,
  nItems: number,
  out: Float32Array,
): void {
  const up = new Float32Array(PANEL * f);
  const blocks = Math.ceil(nItems / PANEL);
  for (let r = 0; r < rows.length; r += PANEL) {
    const nr = Math.min(PANEL, rows.length - r);
    packUsers(x, rows, r, nr, f, up);
    for (let b = 0; b < blocks; b++) {
      const i = b * PANEL;
      let yo = i * f;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0; // prettier-ignore
      for (let uo = 0; uo < PANEL * f; uo += PANEL, yo += PANEL) {
        const a = panels[yo]!;
        const bb = panels[yo + 1]!;
        const c = panels[yo + 2]!;
        const d = panels[yo + 3]!;
        let u = up[uo]!;
        s00 += u * a; s01 += u * bb; s02 += u * c; s03 += u * d; // prettier-ignore
        u = up[uo + 1]!;
        s10 += u * a; s11 += u * bb; s12 += u * c; s13 += u * d; // prettier-ignore
        u = up[uo + 2]!;
        s20 += u * a; s21 += u * bb; s22 += u * c; s23 += u * d; // prettier-ignore
        u = up[uo + 3]!;
        s30 += u * a; s31 += u * bb; s32 += u * c; s33 += u * d; // prettier-ignore
      }
      const ni = Math.min(PANEL, nItems - i);
      let o = r * nItems + i;
      store4(out, o, ni, s00, s01, s02, s03);
      if (nr > 1) store4(out, (o += nItems), ni, s10, s11, s12, s13);
      if (nr > 2) store4(out, (o += nItems), ni, s20, s21, s22, s23);
      if (nr > 3) store4(out, o + nItems, ni, s30, s31, s32, s33);
    }
  }
}

/** Scores without a cached packing: packs y, then scoreRowsPacked. */
export function scoreRows(x: Float32Array, rows: Int32Array, y: Float32Array, f: number, nItems: number, out: Float32Array): void {
  scoreRowsPacked(x, rows, packPanels(y, f, nItems), f, nItems, out);
}

/** Interleaves users rows[r .. r+nr) into the PANEL-wide k-major buffer `up` (zero padding). */
function packUsers(x: Float32Array, rows: Int32Array, r: number, nr: number, f: number, up: Float32Array): void {
  if (nr < PANEL) up.fill(0);
  for (let t = 0; t < nr; t++) {
    const xo = rows[r + t]! * f;
    for (let k = 0; k < f; k++) up[k * PANEL + t] = x[xo + k]!;
  }
}

function store4(out: Float32Array, o: number, n: number, a: number, b: number, c: number, d: number): void {
  out[o] = a;
  if (n > 1) out[o + 1] = b;
  if (n > 2) out[o + 2] = c;
  if (n > 3) out[o + 3] = d;
}

/**
 * out[i] = x[xo .. xo+f) · y_i for i < nItems: one user's scores, for the
 * single-shopper path (no packing, no wasted panel rows).
 */
export function scoreRow(x: Float32Array, xo: number, y: Float32Array, f: number, nItems: number, out: Float32Array): void {
  for (let i = 0, yo = 0; i < nItems; i++, yo += f) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < f; k += 4) {
      s0 += x[xo + k]! * y[yo + k]!;
      s1 += x[xo + k + 1]! * y[yo + k + 1]!;
      s2 += x[xo + k + 2]! * y[yo + k + 2]!;
      s3 += x[xo + k + 3]! * y[yo + k + 3]!;
    }
    for (; k < f; k++) s0 += x[xo + k]! * y[yo + k]!;
    out[i] = s0 + s1 + s2 + s3;
  }
}
