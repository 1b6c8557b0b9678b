import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { CsrMatrix } from '../../data/csr.js';
import { nativeKernels } from '../native.js';
import { cfKernels, JS_KERNELS, nativeCfKernelsOrUndefined, type CfKernels } from './kernels.js';

/**
 * The native kernels against the plain TypeScript ones (the reference) on
 * random problems. The native addon is built by `npm install`; a machine
 * without a C compiler runs with VITRINE_NATIVE=0, and then only the check
 * that the JS fallback is active runs.
 */
const nativeOff = process.env.VITRINE_NATIVE === '0';

function randomCsr(rng: Rng, rows: number, cols: number, density: number, values: () => number): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < rows; u++) {
    for (let i = 0; i < cols; i++) {
      if (u % 7 === 3 || !rng.bool(density)) continue; // some rows stay empty
      r.push(u);
      c.push(i);
      v.push(values());
    }
  }
  return CsrMatrix.fromCoo(rows, cols, r, c, v);
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

if (!nativeOff) describe('native CF kernels agree with the TypeScript reference', () => {
  const native = (): CfKernels => {
    const k = nativeCfKernelsOrUndefined();
    if (k === undefined) throw new Error('native kernels are not built: run `npm run build:native` (or set VITRINE_NATIVE=0)');
    return k;
  };

  it('is the active backend', () => {
    expect(native().name).toBe('native');
    expect(cfKernels().name).toBe('native');
  });

  it.each([16, 64, 20])('gram matches for f = %i', (f) => {
    const rng = new Rng(f);
    const n = 700;
    const x = Float32Array.from({ length: n * f }, () => rng.normal(0, 1));
    const a = new Float64Array(f * f);
    const b = new Float64Array(f * f);
    JS_KERNELS.gram(x, f, 5, n, a);
    native().gram(x, f, 5, n, b);
    expect(maxRelDiff(b, a)).toBeLessThan(1e-6);
  });

  it.each([64, 24])('an ALS conjugate-gradient sweep matches for f = %i', (f) => {
    const rng = new Rng(100 + f);
    const rows = 60;
    const cols = 90;
    const c = randomCsr(rng, rows, cols, 0.2, () => rng.uniform(1, 6));
    const y = Float32Array.from({ length: cols * f }, () => rng.normal(0, 0.3));
    const x0 = Float32Array.from({ length: rows * f }, () => rng.normal(0, 0.1));
    const a0 = new Float64Array(f * f);
    JS_KERNELS.gram(y, f, 0, cols, a0);
    for (let k = 0; k < f; k++) a0[k * f + k]! += 0.1;
    const xa = x0.slice();
    const xb = x0.slice();
    JS_KERNELS.alsCgSweep(c.indptr, c.indices, c.data, xa, y, a0, f, 3, 0, rows);
    native().alsCgSweep(c.indptr, c.indices, c.data, xb, y, a0, f, 3, 0, rows);
    expect(maxRelDiff(xb, xa)).toBeLessThan(1e-3);
    expect(xb.subarray(3 * f, 4 * f).every((v) => v === 0)).toBe(true); // an empty row gets a zero vector
  });

  it('the exact (Cholesky) ALS solve matches, and refuses a singular system', () => {
    const rng = new Rng(55);
    const f = 48;
    const c = randomCsr(rng, 30, 80, 0.25, () => rng.uniform(1, 6));
    const y = Float32Array.from({ length: 80 * f }, () => rng.normal(0, 0.3));
    const a0 = new Float64Array(f * f);
    JS_KERNELS.gram(y, f, 0, 80, a0);
    for (let k = 0; k < f; k++) a0[k * f + k]! += 0.05;
    const xa = new Float32Array(30 * f);
    const xb = new Float32Array(30 * f);
    JS_KERNELS.alsExactSweep(c.indptr, c.indices, c.data, xa, y, a0, f, 0, 30);
    native().alsExactSweep(c.indptr, c.indices, c.data, xb, y, a0, f, 0, 30);
    expect(maxRelDiff(xb, xa)).toBeLessThan(1e-4);
    const singular = new Float64Array(f * f); // zero matrix, zero regularization
    const one = CsrMatrix.fromCoo(1, 80, [0], [4], [0.5]); // confidence below 1 makes A indefinite
    expect(() => native().alsExactSweep(one.indptr, one.indices, one.data, new Float32Array(f), y, singular, f, 0, 1)).toThrow(RangeError);
    expect(() => JS_KERNELS.alsExactSweep(one.indptr, one.indices, one.data, new Float32Array(f), y, singular, f, 0, 1)).toThrow(RangeError);
  });

  it('a BPR epoch matches (same samples, one thread)', () => {
    const rng = new Rng(7);
    const f = 32;
    const c = randomCsr(rng, 40, 70, 0.15, () => 1);
    const userOfEntry = new Int32Array(c.nnz);
    for (let u = 0; u < c.nRows; u++) userOfEntry.fill(u, c.indptr[u]!, c.indptr[u + 1]!);
    const pos = rng.intsInto(new Int32Array(3000), c.nnz);
    const neg = rng.intsInto(new Int32Array(3000), c.nCols);
    const x0 = Float32Array.from({ length: c.nRows * (f + 1) }, (_, i) => (i % (f + 1) === f ? 1 : rng.normal(0, 0.1)));
    const y0 = Float32Array.from({ length: c.nCols * (f + 1) }, () => rng.normal(0, 0.1));
    const [xa, ya, xb, yb] = [x0.slice(), y0.slice(), x0.slice(), y0.slice()];
    const sa = JS_KERNELS.bprSgdEpoch(c.indptr, c.indices, userOfEntry, pos, neg, xa, ya, f, 0.05, 0.01, true, 0, 3000);
    const sb = native().bprSgdEpoch(c.indptr, c.indices, userOfEntry, pos, neg, xb, yb, f, 0.05, 0.01, true, 0, 3000);
    expect(sb.skipped).toBe(sa.skipped);
    expect(sb.skipped).toBeGreaterThan(0);
    expect(Math.abs(sb.correct - sa.correct)).toBeLessThanOrEqual(3);
    expect(sb.loss).toBeCloseTo(sa.loss, 0);
    expect(maxRelDiff(xb, xa)).toBeLessThan(1e-3);
    expect(maxRelDiff(yb, ya)).toBeLessThan(1e-3);
  });

  it.each([0, 0.01])('a VBPR pass matches (same triples, one thread; projection regularisation %s)', (projectionReg) => {
    const rng = new Rng(11);
    const [nUsers, nItems, k, k2, f, n] = [30, 50, 8, 6, 37, 2000];
    const small = (len: number): Float32Array => Float32Array.from({ length: len }, () => rng.normal(0, 0.1));
    const p0 = { gu: small(nUsers * k), tu: small(nUsers * k2), gi: small(nItems * k), bi: small(nItems), e: small(k2 * f), bv: small(f) };
    const features = Float32Array.from({ length: nItems * f }, () => Math.max(0, rng.normal(0, 1)));
    const t = { user: rng.intsInto(new Int32Array(n), nUsers), pos: rng.intsInto(new Int32Array(n), nItems), neg: rng.intsInto(new Int32Array(n), nItems) };
    const copy = (): typeof p0 => ({ gu: p0.gu.slice(), tu: p0.tu.slice(), gi: p0.gi.slice(), bi: p0.bi.slice(), e: p0.e.slice(), bv: p0.bv.slice() });
    const [pa, pb] = [copy(), copy()];
    const rates = { lr: 0.05, reg: 0.01, biasReg: 0.01, projectionReg };
    const la = JS_KERNELS.vbprSgdPass(pa, features, t, { k, k2, f }, rates);
    const lb = native().vbprSgdPass(pb, features, t, { k, k2, f }, rates);
    expect(lb).toBeCloseTo(la, 1);
    for (const key of ['gu', 'tu', 'gi', 'bi', 'e', 'bv'] as const) {
      expect(maxRelDiff(pb[key], pa[key])).toBeLessThan(1e-3);
      expect(maxRelDiff(pb[key], p0[key])).toBeGreaterThan(1e-3); // it did move them
    }
    const bad = { ...t, neg: Int32Array.from(t.neg, (j, s) => (s === 5 ? nItems : j)) };
    expect(() => native().vbprSgdPass(copy(), features, bad, { k, k2, f }, rates)).toThrow(RangeError);
  });

  it.each([64, 65, 7])('batched scoring matches for f = %i', (f) => {
    const rng = new Rng(f);
    const nUsers = 13;
    const nItems = 101;
    const x = Float32Array.from({ length: nUsers * f }, () => rng.normal(0, 1));
    const y = Float32Array.from({ length: nItems * f }, () => rng.normal(0, 1));
    const rows = Int32Array.from([12, 0, 5, 5, 3, 7]);
    const a = new Float32Array(rows.length * nItems);
    const b = new Float32Array(rows.length * nItems);
    JS_KERNELS.scoreRows(x, rows, JS_KERNELS.pack(y, f, nItems), f, nItems, a);
    native().scoreRows(x, rows, native().pack(y, f, nItems), f, nItems, b);
    expect(maxRelDiff(b, a)).toBeLessThan(1e-5);
    // One row alone (the request path's case) and a last block of one (5 rows: 4 + 1) take the native single-row loop.
    for (const one of [Int32Array.of(7), Int32Array.of(12, 0, 5, 3, 7)]) {
      const js = new Float32Array(one.length * nItems);
      const nat = new Float32Array(one.length * nItems);
      JS_KERNELS.scoreRows(x, one, JS_KERNELS.pack(y, f, nItems), f, nItems, js);
      native().scoreRows(x, one, native().pack(y, f, nItems), f, nItems, nat);
      expect(maxRelDiff(nat, js)).toBeLessThan(1e-5);
    }
  });

  it('fused top-k with seen items removed matches a full sort', () => {
    const nk = nativeKernels();
    if (nk === undefined) throw new Error('native kernels are not built');
    const rng = new Rng(3);
    const f = 16;
    const nUsers = 9;
    const nItems = 50;
    const x = Float32Array.from({ length: nUsers * f }, () => rng.normal(0, 1));
    const y = Float32Array.from({ length: nItems * f }, () => rng.normal(0, 1));
    y.copyWithin(20 * f, 10 * f, 11 * f); // items 10 and 20 tie: the lower index must come first
    const seen = randomCsr(rng, nUsers, nItems, 0.3, () => 1);
    const rows = Int32Array.from({ length: nUsers }, (_, u) => u);
    const k = 45;
    const items = new Int32Array(nUsers * k);
    const scores = new Float32Array(nUsers * k);
    const panels = native().pack(y, f, nItems).data;
    nk.topKRows(x, rows, panels, f, nItems, seen.indptr, seen.indices, k, items, scores, 2);
    const jsItems = new Int32Array(nUsers * k);
    JS_KERNELS.topKRows(x, rows, JS_KERNELS.pack(y, f, nItems), f, nItems, seen, k, jsItems, new Float32Array(nUsers * k));
    expect(Array.from(jsItems)).toEqual(Array.from(items));
    const all = new Float32Array(nUsers * nItems);
    JS_KERNELS.scoreRows(x, rows, JS_KERNELS.pack(y, f, nItems), f, nItems, all);
    for (let u = 0; u < nUsers; u++) {
      const ranked = Array.from({ length: nItems }, (_, i) => i)
        .filter((i) => !seen.has(u, i))
        .sort((p, q) => all[u * nItems + q]! - all[u * nItems + p]! || p - q);
      const expected = [...ranked.slice(0, k), ...new Array<number>(Math.max(0, k - ranked.length)).fill(-1)];
      expect(Array.from(items.subarray(u * k, (u + 1) * k))).toEqual(expected);
    }
  });
});

describe('csrMatVec (sparse rows times a dense vector)', () => {
  const rng = new Rng(21);
  const m = randomCsr(rng, 40, 30, 0.2, () => rng.normal(0, 1));
  const x = Float32Array.from({ length: 30 }, () => rng.normal(0, 1));
  const expected = Array.from({ length: 40 }, (_, r) => {
    const cols = m.rowIndices(r);
    const vals = m.rowValues(r);
    let s = 0;
    for (let q = 0; q < cols.length; q++) s += vals[q]! * x[cols[q]!]!;
    return s;
  });
  const backends = (): CfKernels[] => [JS_KERNELS, ...(nativeOff ? [] : [nativeCfKernelsOrUndefined()!])];

  it('matches the row-by-row dot product, empty rows giving 0, on every backend', () => {
    for (const k of backends()) {
      const out = new Float32Array(40).fill(7);
      k.csrMatVec(m.indptr, m.indices, m.data, x, 40, out);
      expect(maxRelDiff(out, expected), k.name).toBeLessThan(1e-5);
      expect(out[3], k.name).toBe(0); // row 3 is empty
    }
  });

  it('refuses a column outside the vector and a short output', () => {
    for (const k of backends()) {
      expect(() => k.csrMatVec(m.indptr, m.indices, m.data, x.subarray(0, 10), 40, new Float32Array(40)), k.name).toThrow(RangeError);
      expect(() => k.csrMatVec(m.indptr, m.indices, m.data, x, 40, new Float32Array(39)), k.name).toThrow(RangeError);
    }
  });
});

if (nativeOff) describe('with VITRINE_NATIVE=0', () => {
  it('runs the TypeScript kernels', () => {
    expect(cfKernels().name).toBe('js');
  });
});
