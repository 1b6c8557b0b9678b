import type { Manifest, Tensor } from '../core/artifact.js';
import { throwIfAborted } from '../core/errors.js';
import { CsrMatrix } from '../data/csr.js';
import { TopKHeap } from '../engine/cf/select.js';
import { checkInt, checkNumber, checkSeed, makeConfig } from './config.js';
import { csrFromTensors, csrTensors } from './csr-tensors.js';
import { normalizeHistory } from './history.js';
import { BaseRecommender, baseStateOf, checkLayout, yieldToEventLoop, type BaseState, type SavedState } from './model-base.js';
import type { FitOptions, TrainData } from './recommender.js';
import { checkTrainData } from './train-data.js';

/**
 * Item-based kNN (Sarwar et al. 2001; Deshpande and Karypis 2004): cosine
 * similarity between the item columns of the interaction matrix,
 *   s_ij = Σ_u r_ui r_uj / (||r_·i|| ||r_·j|| + shrinkage),
 * keeping each item's `neighbours` most similar items (sparse: memory and
 * time grow with Σ_u n_u², never with nItems²), and
 *   score(u, i) = Σ_{j ∈ I(u)} r_uj s_ji  over j's kept neighbours
 * (benfred/implicit's ItemItemRecommender convention: user row times the
 * pruned similarity matrix). An item is not its own neighbour.
 */
export type ItemKnnConfig = {
  /** K: neighbours kept per item. */
  neighbours: number;
  /** Added to the cosine denominator; damps similarities resting on few shared shoppers. */
  shrinkage: number;
  seed: number;
};

export const ITEMKNN_DEFAULTS: ItemKnnConfig = Object.freeze({ neighbours: 100, shrinkage: 0, seed: 0 });

/** Layout version: sim.* (nItems x nItems CSR, K per row) and ui.* (the training rows, for scoring). */
export const ITEMKNN_VERSION = 1;

interface ItemKnnState extends BaseState {
  /** Row j: j's neighbours i with s_ji. */
  sim: CsrMatrix;
  /** The training interactions (users x items), the histories scoreUser walks. */
  ui: CsrMatrix;
}

/** Items processed between abort checks and event-loop yields. */
const CHUNK = 1024;

export class ItemKnnModel extends BaseRecommender<ItemKnnConfig, ItemKnnState> {
  readonly kind = 'itemknn' as const;

  constructor(config?: Partial<ItemKnnConfig>) {
    super(
      makeConfig('itemknn', ITEMKNN_DEFAULTS, config, (c) => {
        checkInt('itemknn', 'neighbours', c.neighbours, 1);
        checkNumber('itemknn', 'shrinkage', c.shrinkage, 0);
        checkSeed('itemknn', c.seed);
      }),
    );
  }

  async fit(data: TrainData, opts: FitOptions = {}): Promise<void> {
    const dataFingerprint = checkTrainData('itemknn', data);
    const t0 = performance.now();
    const ui = data.ui;
    const iu = ui.transpose();
    const norms = columnNorms(iu);
    const k = Math.min(this.config.neighbours, Math.max(ui.nCols - 1, 0));
    const builder = new NeighbourBuilder(ui.nCols, k);
    for (let start = 0; start < ui.nCols; start += CHUNK) {
      throwIfAborted(opts.signal);
      for (let i = start; i < Math.min(ui.nCols, start + CHUNK); i++) builder.addItem(i, ui, iu, norms, this.config.shrinkage);
      await yieldToEventLoop();
    }
    opts.onEpoch?.({ epoch: 1, epochs: 1, seconds: (performance.now() - t0) / 1000 });
    throwIfAborted(opts.signal);
    this.state = { nUsers: ui.nRows, nItems: ui.nCols, dataFingerprint, sim: builder.build(), ui };
  }

  scoreUser(userIdx: number, out?: Float32Array): Float32Array {
    const s = this.stateForUser(userIdx);
    return this.scoreItems(s, s.ui.rowIndices(userIdx), s.ui.rowValues(userIdx), out);
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const s = this.requireState();
    const h = normalizeHistory(items, weights, s.nItems);
    return this.scoreItems(s, h.items, h.weights, out);
  }

  /** The kept neighbours of item j and their similarities (views, in item order). */
  neighboursOf(itemIdx: number): { items: Int32Array; scores: Float32Array } {
    const s = this.requireState();
    return { items: s.sim.rowIndices(itemIdx), scores: s.sim.rowValues(itemIdx) };
  }

  private scoreItems(s: ItemKnnState, items: Int32Array, weights: Float32Array, out?: Float32Array): Float32Array {
    const o = this.output(out, s.nItems);
    o.fill(0, 0, s.nItems);
    const { indptr, indices, data } = s.sim;
    for (let p = 0; p < items.length; p++) {
      const j = items[p]!;
      const r = weights[p]!;
      for (let q = indptr[j]!; q < indptr[j + 1]!; q++) o[indices[q]!]! += r * data[q]!;
    }
    return o;
  }

  protected saveState(s: ItemKnnState): SavedState {
    return { version: ITEMKNN_VERSION, tensors: { ...csrTensors('sim', s.sim), ...csrTensors('ui', s.ui) } };
  }

  static restore(manifest: Manifest, tensors: Map<string, Tensor>): ItemKnnModel {
    checkLayout(manifest, 'itemknn', ITEMKNN_VERSION);
    const m = new ItemKnnModel(manifest.hyperparameters as Partial<ItemKnnConfig>);
    const base = baseStateOf(manifest);
    const sim = csrFromTensors(tensors, 'sim', base.nItems, base.nItems);
    const ui = csrFromTensors(tensors, 'ui', base.nUsers, base.nItems);
    m.state = { ...base, sim, ui };
    return m;
  }
}

/** ||r_·i|| for every item, from the items x users matrix. */
function columnNorms(iu: CsrMatrix): Float64Array {
  const norms = new Float64Array(iu.nRows);
  for (let i = 0; i < iu.nRows; i++) {
    let s = 0;
    for (let p = iu.indptr[i]!; p < iu.indptr[i + 1]!; p++) s += iu.data[p]! * iu.data[p]!;
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/**
 * Builds the pruned similarity CSR one item at a time: co-occurrence
 * accumulated through the shoppers of item i (a dense accumulator plus a list
 * of touched items, reset after each item), then the top K by a bounded heap.
 */
class NeighbourBuilder {
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  private readonly heap: TopKHeap;
  private readonly indptr: Int32Array;
  private readonly indices: Int32Array;
  private readonly values: Float32Array;

  constructor(
    private readonly nItems: number,
    private readonly k: number,
  ) {
    this.acc = new Float64Array(nItems);
    this.touched = new Int32Array(nItems);
    this.heap = new TopKHeap(k);
    this.indptr = new Int32Array(nItems + 1);
    this.indices = new Int32Array(nItems * k);
    this.values = new Float32Array(nItems * k);
  }

  addItem(i: number, ui: CsrMatrix, iu: CsrMatrix, norms: Float64Array, shrinkage: number): void {
    const { acc, touched, heap } = this;
    let nTouched = 0;
    for (let p = iu.indptr[i]!; p < iu.indptr[i + 1]!; p++) {
      const u = iu.indices[p]!;
      const rui = iu.data[p]!;
      for (let q = ui.indptr[u]!; q < ui.indptr[u + 1]!; q++) {
        const j = ui.indices[q]!;
        if (j === i) continue;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j]! += rui * ui.data[q]!;
      }
    }
    heap.reset();
    const ni = norms[i]!;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t]!;
      heap.offer(j, acc[j]! / (ni * norms[j]! + shrinkage));
      acc[j] = 0;
    }
    const start = this.indptr[i]!;
    const n = heap.drainInto(this.indices, this.values, start);
    sortSegment(this.indices, this.values, start, start + n);
    this.indptr[i + 1] = start + n;
  }

  build(): CsrMatrix {
    const nnz = this.indptr[this.nItems]!;
    return new CsrMatrix(this.nItems, this.nItems, this.indptr, this.indices.slice(0, nnz), this.values.slice(0, nnz));
  }
}

/** Sorts indices[lo, hi) ascending, carrying values along (CsrMatrix keeps columns sorted within a row). */
function sortSegment(indices: Int32Array, values: Float32Array, lo: number, hi: number): void {
  const order = Array.from({ length: hi - lo }, (_, t) => lo + t).sort((a, b) => indices[a]! - indices[b]!);
  const idx = order.map((p) => indices[p]!);
  const val = order.map((p) => values[p]!);
  indices.set(idx, lo);
  values.set(val, lo);
}
