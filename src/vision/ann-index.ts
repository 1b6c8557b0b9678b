import { dirname, join } from 'node:path';
import { fail } from '../core/errors.js';
import { indexConfig, type VectorIndexConfig } from './ann-config.js';
import { fastExactTopK } from './ann-exact.js';
import { readSidecar, readVectors, writeIndexFiles } from './ann-files.js';
import { HnswGraph } from './ann-graph.js';

/**
 * Nearest-neighbour search over product embeddings, keyed by string (item
 * id). Every vector is kept in a dense matrix (the exact path, and the truth
 * the graph is rebuilt from); above `exactThreshold` vectors (or always, in
 * mode "hnsw") an HNSW graph (ann-graph.ts) answers queries instead.
 * Products are added and removed one at a time without a rebuild: a removal
 * swaps the last row into the freed slot and drops the node from the graph;
 * graph ids are never reused.
 *
 * Similarity: for metric "cos" vectors are L2-normalised when added and
 * queries when searched, so similarity = cosine; for "ip" it is the raw
 * inner product (e.g. ALS item factors against a shopper's factors).
 */

export interface IndexHit {
  key: string;
  similarity: number;
}

/** Settings that may differ when an index is reopened (query-time only). */
export type IndexOverrides = Partial<Pick<VectorIndexConfig, 'mode' | 'exactThreshold' | 'expansionSearch' | 'threads'>>;

export class VectorIndex {
  readonly config: Readonly<VectorIndexConfig>;
  /** Caller metadata saved with the index (e.g. the encoder that made the vectors). */
  meta: Record<string, unknown> = {};
  private vectors: Float32Array;
  private readonly keyOfSlot: string[] = [];
  private readonly idOfSlot: number[] = [];
  private readonly slotOfKey = new Map<string, number>();
  private readonly slotOfId = new Map<number, number>();
  private nextId = 0;
  private graph: HnswGraph | null = null;

  constructor(config: Partial<VectorIndexConfig> & { dim: number }) {
    this.config = indexConfig(config);
    this.vectors = new Float32Array(64 * this.config.dim);
  }

  /** Opens an index saved with save(path); `overrides` change query-time settings without a rebuild. */
  static open(path: string, overrides: IndexOverrides = {}): VectorIndex {
    const s = readSidecar(path);
    const index = new VectorIndex({ ...s.config, ...overrides });
    index.meta = s.meta;
    index.vectors = readVectors(path, s);
    index.nextId = s.nextId;
    s.keys.forEach((key, slot) => index.place(key, s.ids[slot]!, slot));
    if (s.hnswFile !== null) index.loadGraph(path, s.hnswFile);
    return index;
  }

  get size(): number {
    return this.keyOfSlot.length;
  }

  /** Whether queries go through the HNSW graph (rather than exact search) at the current size. */
  get usesHnsw(): boolean {
    const { mode, exactThreshold } = this.config;
    return mode === 'hnsw' || (mode === 'auto' && this.size > exactThreshold);
  }

  has(key: string): boolean {
    return this.slotOfKey.has(key);
  }

  keys(): readonly string[] {
    return this.keyOfSlot;
  }

  /** The stored vector of `key` (normalised for cos), or undefined. */
  vectorOf(key: string): Float32Array | undefined {
    const slot = this.slotOfKey.get(key);
    const d = this.config.dim;
    return slot === undefined ? undefined : this.vectors.slice(slot * d, (slot + 1) * d);
  }

  /** Adds (or replaces) the vector of `key`. */
  add(key: string, vector: Float32Array): void {
    if (vector.length !== this.config.dim) fail('INVALID_ARGUMENT', `vector of "${key}" has ${vector.length} values; this index holds ${this.config.dim}-d vectors`);
    this.addMany([key], vector);
  }

  /** Adds (or replaces) many vectors: `vectors` holds keys.length rows of dim values; one graph insertion. */
  addMany(keys: readonly string[], vectors: Float32Array): void {
    const d = this.config.dim;
    if (vectors.length !== keys.length * d) fail('INVALID_ARGUMENT', `${keys.length} keys need ${keys.length * d} values, got ${vectors.length}`);
    if (new Set(keys).size !== keys.length) fail('INVALID_ARGUMENT', 'keys must be distinct within one addMany call');
    const rows = keys.map((key, i) => this.checked(vectors.subarray(i * d, (i + 1) * d), key));
    for (const key of keys) this.remove(key);
    this.reserve(this.size + keys.length);
    const first = this.size;
    keys.forEach((key, i) => {
      this.vectors.set(rows[i]!, first * d + i * d);
      this.place(key, this.nextId++, first + i);
    });
    const added = this.vectors.subarray(first * d, this.size * d);
    if (this.graph !== null && keys.length > 0) {
      this.graph.add(this.idOfSlot.slice(first), added);
    } else if (this.usesHnsw) {
      this.buildHnsw();
    }
  }

  /** Removes `key`; returns whether it was there. */
  remove(key: string): boolean {
    const slot = this.slotOfKey.get(key);
    if (slot === undefined) return false;
    const d = this.config.dim;
    const id = this.idOfSlot[slot]!;
    this.graph?.remove(id);
    const last = this.size - 1;
    if (slot !== last) {
      this.vectors.copyWithin(slot * d, last * d, (last + 1) * d);
      this.place(this.keyOfSlot[last]!, this.idOfSlot[last]!, slot);
    }
    this.keyOfSlot.pop();
    this.idOfSlot.pop();
    this.slotOfKey.delete(key);
    this.slotOfId.delete(id);
    return true;
  }

  /** The k most similar keys, best first: exact or HNSW by the index's mode and size. */
  search(vector: Float32Array, k: number): IndexHit[] {
    return this.usesHnsw ? this.searchHnsw(vector, k) : this.searchExact(vector, k);
  }

  /** Exact (brute-force) search, whatever the mode: the reference for HNSW. */
  searchExact(vector: Float32Array, k: number): IndexHit[] {
    const q = this.query(vector, k);
    const { rows, scores } = fastExactTopK(this.vectors, this.size, this.config.dim, q, k);
    return Array.from(rows, (slot, r) => ({ key: this.keyOfSlot[slot]!, similarity: scores[r]! }));
  }

  /** Approximate search through the HNSW graph (built now if the index has none yet). */
  searchHnsw(vector: Float32Array, k: number): IndexHit[] {
    const q = this.query(vector, k);
    if (this.size === 0 || k === 0) return [];
    const { ids, similarities } = (this.graph ?? this.buildHnsw()).search(q, k);
    const hits: IndexHit[] = [];
    ids.forEach((id, i) => {
      const slot = this.slotOfId.get(id);
      if (slot !== undefined) hits.push({ key: this.keyOfSlot[slot]!, similarity: similarities[i]! });
    });
    return hits;
  }

  /** Writes the index at `path` (sidecar `<path>.json` plus data files), atomically. */
  save(path: string): void {
    const graph = this.usesHnsw ? (this.graph ?? this.buildHnsw()) : this.graph;
    writeIndexFiles(
      path,
      { config: { ...this.config }, keys: [...this.keyOfSlot], ids: [...this.idOfSlot], nextId: this.nextId, meta: this.meta },
      this.vectors.subarray(0, this.size * this.config.dim),
      graph === null ? null : (file) => graph.save(file),
    );
  }

  /** (Re)builds the graph from the stored vectors in one bulk insertion. */
  buildHnsw(): HnswGraph {
    this.graph = HnswGraph.build(this.config, this.idOfSlot, this.vectors.subarray(0, this.size * this.config.dim));
    return this.graph;
  }

  private loadGraph(path: string, file: string): void {
    try {
      this.graph = HnswGraph.load(this.config, join(dirname(path), file));
    } catch (e) {
      fail('MODEL_INCOMPATIBLE', `vector index ${path}: cannot read ${file} (${(e as Error).message})`, { cause: e });
    }
    // A graph out of step with the sidecar is rebuilt from the vectors (the vectors are the truth).
    if (this.graph.size !== this.size) this.buildHnsw();
  }

  private place(key: string, id: number, slot: number): void {
    this.keyOfSlot[slot] = key;
    this.idOfSlot[slot] = id;
    this.slotOfKey.set(key, slot);
    this.slotOfId.set(id, slot);
  }

  private reserve(rows: number): void {
    const need = rows * this.config.dim;
    if (need <= this.vectors.length) return;
    const grown = new Float32Array(Math.max(need, this.vectors.length * 2));
    grown.set(this.vectors.subarray(0, this.size * this.config.dim));
    this.vectors = grown;
  }

  /** A stored copy of a vector: checked, normalised for cos. */
  private checked(v: Float32Array, key: string): Float32Array {
    const out = this.query(v, 1, key);
    return out === v ? Float32Array.from(v) : out;
  }

  /** The query as searched: checked, and normalised for cos (a copy then). */
  private query(v: Float32Array, k: number, key?: string): Float32Array {
    if (!Number.isInteger(k) || k < 0) fail('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    const what = key === undefined ? 'query vector' : `vector of "${key}"`;
    if (v.length !== this.config.dim) fail('INVALID_ARGUMENT', `${what} has ${v.length} values; this index holds ${this.config.dim}-d vectors`);
    let s = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (!Number.isFinite(x)) fail('INVALID_ARGUMENT', `${what} has a non-finite value at ${i}`);
      s += x * x;
    }
    if (this.config.metric !== 'cos' || s === 0 || Math.abs(s - 1) < 1e-6) return v;
    const inv = 1 / Math.sqrt(s);
    return Float32Array.from(v, (x) => x * inv);
  }
}
