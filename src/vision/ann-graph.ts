import usearch, { type Index as UsearchIndex } from 'usearch';
import type { VectorIndexConfig } from './ann-config.js';

/**
 * The HNSW graph behind a VectorIndex (usearch; Malkov and Yashunin 2018),
 * keyed by the index's numeric ids. It always searches by inner product
 * (usearch "ip": distance = 1 - dot, so similarity = 1 - distance): for
 * metric "cos" the stored vectors are unit vectors, so that is the cosine;
 * for "ip" it is maximum-inner-product search on the raw vectors.
 *
 * Measured and rejected for "ip" (bench/ann.ts, ALS item factors at 100,000):
 * the reduction of MIPS to nearest-neighbour search by one extra coordinate
 * (Bachrach et al. 2014) loses recall when norms span orders of magnitude, as
 * ALS item factors' do (recall@10 0.36 against 0.81 for the raw graph at the
 * same settings), and so does its per-norm-bucket variant (Yan et al. 2018).
 * A denser graph (connectivity 32) is what reaches the recall target.
 */
export class HnswGraph {
  private constructor(
    private readonly graph: UsearchIndex,
    private readonly threads: number,
  ) {}

  /** A graph over `ids` with rows of `vectors` (ids.length x dim), in one bulk insertion. */
  static build(c: Readonly<VectorIndexConfig>, ids: readonly number[], vectors: Float32Array): HnswGraph {
    const g = new HnswGraph(emptyGraph(c), c.threads);
    if (ids.length > 0) g.add(ids, vectors);
    return g;
  }

  /** Loads a graph saved by save(), with `c`'s query-time settings (expansionSearch). */
  static load(c: Readonly<VectorIndexConfig>, file: string): HnswGraph {
    const graph = emptyGraph(c);
    graph.load(file);
    return new HnswGraph(graph, c.threads);
  }

  get size(): number {
    return this.graph.size();
  }

  /** Adds rows of `vectors` under `ids` (one bulk call; usearch spreads it over `threads`). */
  add(ids: readonly number[], vectors: Float32Array): void {
    this.graph.add(BigUint64Array.from(ids, (id) => BigInt(id)), vectors, this.threads);
  }

  remove(id: number): void {
    this.graph.remove(BigInt(id));
  }

  /** The ids of the k most similar vectors with their similarities, best first (one thread). */
  search(query: Float32Array, k: number): { ids: number[]; similarities: number[] } {
    const m = this.graph.search(query, Math.min(k, this.size), 1);
    return { ids: Array.from(m.keys, Number), similarities: Array.from(m.distances, (dist) => 1 - dist) };
  }

  save(file: string): void {
    this.graph.save(file);
  }
}

function emptyGraph(c: Readonly<VectorIndexConfig>): UsearchIndex {
  return new usearch.Index({
    dimensions: c.dim,
    metric: usearch.MetricKind.IP,
    quantization: usearch.ScalarKind.F32,
    connectivity: c.connectivity,
    expansion_add: c.expansionAdd,
    expansion_search: c.expansionSearch,
    multi: false,
  });
}
