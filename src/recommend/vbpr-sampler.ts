import type { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../data/csr.js';

/**
 * The (u, i, j) triples VBPR and DVBPR train on (Rendle et al. 2009, BPR;
 * He and McAuley 2016, section 4.2; Kang et al. 2017, eq. 2-4): the positive
 * (u, i) is a uniformly drawn training entry, the negative j an item u has
 * not interacted with, drawn
 *  - 'uniform': uniformly over the items that have training interactions, or
 *  - 'popularity': as the item of another uniformly drawn entry.
 * Items without any training interaction are never negatives: at training
 * time they are unknown, not disliked. (Drawing them would teach the visual
 * part that exactly the images of the catalog's new products are bad, which
 * is what the cold-start evaluation then asks it to rank.)
 */
export type NegativeSampling = 'uniform' | 'popularity';

export const NEGATIVE_SAMPLING = ['uniform', 'popularity'] as const;

/** Draws at most this many candidates for a negative before accepting one the user has seen (dense rows). */
const MAX_TRIES = 16;

export interface TripleSampler {
  ui: CsrMatrix;
  /** userOfEntry[e]: the row of stored entry e. */
  userOfEntry: Int32Array;
  /** Items with at least one training interaction, ascending. */
  warm: Int32Array;
}

export interface Triples {
  user: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}

export function makeTripleSampler(ui: CsrMatrix): TripleSampler {
  const userOfEntry = new Int32Array(ui.nnz);
  for (let u = 0; u < ui.nRows; u++) userOfEntry.fill(u, ui.indptr[u]!, ui.indptr[u + 1]!);
  const counts = ui.columnCounts();
  const warm: number[] = [];
  for (let i = 0; i < ui.nCols; i++) if (counts[i]! > 0) warm.push(i);
  return { ui, userOfEntry, warm: Int32Array.from(warm) };
}

/** A new set of `n` triples. */
export function newTriples(n: number): Triples {
  return { user: new Int32Array(n), pos: new Int32Array(n), neg: new Int32Array(n) };
}

/** Fills `out` with triples from the seeded stream (see the file comment). */
export function drawTriples(s: TripleSampler, rng: Rng, mode: NegativeSampling, out: Triples): void {
  const { ui, userOfEntry, warm } = s;
  const n = out.user.length;
  for (let k = 0; k < n; k++) {
    const e = rng.int(ui.nnz);
    const u = userOfEntry[e]!;
    out.user[k] = u;
    out.pos[k] = ui.indices[e]!;
    out.neg[k] = drawNegative(s, rng, mode, u, warm);
  }
}

/** A negative for user u: redrawn while it is one of u's items (up to MAX_TRIES). */
export function drawNegative(s: TripleSampler, rng: Rng, mode: NegativeSampling, u: number, warm = s.warm): number {
  let j = 0;
  for (let t = 0; t < MAX_TRIES; t++) {
    j = mode === 'uniform' ? warm[rng.int(warm.length)]! : s.ui.indices[rng.int(s.ui.nnz)]!;
    if (!s.ui.has(u, j)) return j;
  }
  return j;
}
