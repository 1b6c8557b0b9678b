/**
 * One pass of VBPR's stochastic gradient ascent (He and McAuley 2016,
 * "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
 * eq. 3 and section 4.2) over drawn triples (u, i, j):
 *
 *   x_ui  = β_i + γ_u·γ_i + θ_u·(E f_i) + β'·f_i        (eq. 3; α, β_u cancel in x_uij)
 *   x_uij = x_ui - x_uj,  z = σ(-x_uij) = 1 - σ(x_uij),  d = f_i - f_j
 *   γ_u += lr (z (γ_i - γ_j) - λ γ_u)    γ_i += lr (z γ_u - λ γ_i)    γ_j += lr (-z γ_u - λ γ_j)
 *   θ_u += lr (z E d - λ θ_u)            E   += lr (z θ_u dᵀ - λ_E E)
 *   β_i += lr (z - λ_b β_i)              β_j += lr (-z - λ_b β_j)      β' += lr (z d - λ_b β')
 *
 * Plain loops over Float32Arrays, like bpr-sgd.ts: the reference, and the
 * pass without the native addon (native/src/vbpr.c is its twin, through
 * kernels.ts). One sample costs ~3 K' F multiply-adds: at K = K' = 20 and a
 * 448-d classic embedding, a pass over the world's 53,010 training pairs
 * takes ~5.9 s here in TypeScript, ~0.23 s native.
 */

/** Triples (u, i, j): user, positive item, negative item (recommend/vbpr-sampler.ts draws them). */
export interface VbprTriples {
  user: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}
export interface VbprParams {
  /** γ_u, nUsers x K. */
  gu: Float32Array;
  /** θ_u, nUsers x K'. */
  tu: Float32Array;
  /** γ_i, nItems x K. */
  gi: Float32Array;
  /** β_i, nItems. */
  bi: Float32Array;
  /** E, K' x F, row-major. */
  e: Float32Array;
  /** β', F. */
  bv: Float32Array;
}

export interface VbprDims {
  /** K: latent factors. */
  k: number;
  /** K': visual factors. */
  k2: number;
  /** F: feature length. */
  f: number;
}

export interface VbprRates {
  lr: number;
  /** λ on γ and θ. */
  reg: number;
  /** λ_b on the biases β_i and β'. */
  biasReg: number;
  /** λ_E on the projection. */
  projectionReg: number;
}

/** Runs every triple once; returns Σ -ln σ(x_uij) (the BPR loss before regularisation). */
export function vbprSgdPass(p: VbprParams, features: Float32Array, t: VbprTriples, dims: VbprDims, rates: VbprRates): number {
  const { k, k2, f } = dims;
  const d = new Float32Array(f);
  const ed = new Float32Array(k2);
  let loss = 0;
  for (let s = 0; s < t.user.length; s++) {
    const u = t.user[s]!;
    const i = t.pos[s]!;
    const j = t.neg[s]!;
    for (let c = 0; c < f; c++) d[c] = features[i * f + c]! - features[j * f + c]!;
    project(p.e, d, k2, f, ed);
    let x = p.bi[i]! - p.bi[j]! + dot(p.bv, 0, d, 0, f) + dot(p.tu, u * k2, ed, 0, k2);
    for (let c = 0; c < k; c++) x += p.gu[u * k + c]! * (p.gi[i * k + c]! - p.gi[j * k + c]!);
    const z = 1 / (1 + Math.exp(x));
    loss += Math.log1p(Math.exp(-x));
    latentStep(p, u, i, j, k, z, rates);
    visualStep(p, u, d, ed, k2, f, z, rates);
    p.bi[i] = p.bi[i]! + rates.lr * (z - rates.biasReg * p.bi[i]!);
    p.bi[j] = p.bi[j]! + rates.lr * (-z - rates.biasReg * p.bi[j]!);
  }
  return loss;
}

/** out = E d (K' values). */
function project(e: Float32Array, d: Float32Array, k2: number, f: number, out: Float32Array): void {
  for (let r = 0; r < k2; r++) out[r] = dot(e, r * f, d, 0, f);
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let c = 0;
  for (; c + 1 < n; c += 2) {
    s0 += a[ao + c]! * b[bo + c]!;
    s1 += a[ao + c + 1]! * b[bo + c + 1]!;
  }
  if (c < n) s0 += a[ao + c]! * b[bo + c]!;
  return s0 + s1;
}

/** The γ updates, all from the old values. */
function latentStep(p: VbprParams, u: number, i: number, j: number, k: number, z: number, r: VbprRates): void {
  const a = 1 - r.lr * r.reg;
  const lz = r.lr * z;
  for (let c = 0; c < k; c++) {
    const gu = p.gu[u * k + c]!;
    const gi = p.gi[i * k + c]!;
    const gj = p.gi[j * k + c]!;
    p.gu[u * k + c] = a * gu + lz * (gi - gj);
    p.gi[i * k + c] = a * gi + lz * gu;
    p.gi[j * k + c] = a * gj - lz * gu;
  }
}

/** The θ_u, E and β' updates (θ_u's step uses E d from before E moves; E's uses θ_u from before it moves). */
function visualStep(p: VbprParams, u: number, d: Float32Array, ed: Float32Array, k2: number, f: number, z: number, r: VbprRates): void {
  const lz = r.lr * z;
  const decayE = 1 - r.lr * r.projectionReg;
  for (let row = 0; row < k2; row++) {
    const tu = p.tu[u * k2 + row]!;
    p.tu[u * k2 + row] = (1 - r.lr * r.reg) * tu + lz * ed[row]!;
    const g = lz * tu;
    const o = row * f;
    if (decayE === 1) for (let c = 0; c < f; c++) p.e[o + c] = p.e[o + c]! + g * d[c]!;
    else for (let c = 0; c < f; c++) p.e[o + c] = decayE * p.e[o + c]! + g * d[c]!;
  }
  const decayB = 1 - r.lr * r.biasReg;
  for (let c = 0; c < f; c++) p.bv[c] = decayB * p.bv[c]! + lz * d[c]!;
}
