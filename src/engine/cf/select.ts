/**
 * Bounded top-k selection: a min-heap of the k best (item, score) pairs seen
 * so far, O(n log k) over n candidates instead of a full sort. Order is
 * deterministic: higher score first, ties broken by the lower item index.
 * NaN and -Infinity scores are never selected (-Infinity is how callers mask
 * seen or filtered items).
 */
export class TopKHeap {
  readonly items: Int32Array;
  readonly scores: Float64Array;
  /** Entries currently kept (<= k). */
  size = 0;

  constructor(readonly k: number) {
    this.items = new Int32Array(Math.max(k, 0));
    this.scores = new Float64Array(Math.max(k, 0));
  }

  reset(): void {
    this.size = 0;
  }

  /** Score a candidate must beat (strictly, when it has a higher index than every kept item) to enter. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.k === 0 ? Infinity : this.scores[0]!;
  }

  /** Keeps (item, score) if it is among the k best so far; candidates may come in any order. */
  offer(item: number, score: number): void {
    if (!(score > -Infinity) || this.k === 0) return;
    if (this.size < this.k) {
      this.siftUp(this.size++, item, score);
    } else if (worse(this.items[0]!, this.scores[0]!, item, score)) {
      this.siftDown(0, item, score);
    }
  }

  /**
   * Writes the kept entries best-first into outItems/outScores from
   * `offset`, empties the heap, and returns how many were written.
   */
  drainInto(outItems: Int32Array, outScores: Float32Array, offset = 0): number {
    const n = this.size;
    // Pop the worst repeatedly and fill from the back.
    for (let pos = n - 1; pos >= 0; pos--) {
      outItems[offset + pos] = this.items[0]!;
      outScores[offset + pos] = this.scores[0]!;
      const last = --this.size;
      if (last > 0) this.siftDown(0, this.items[last]!, this.scores[last]!);
    }
    return n;
  }

  private siftUp(pos: number, item: number, score: number): void {
    const items = this.items;
    const scores = this.scores;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!worse(item, score, items[parent]!, scores[parent]!)) break;
      items[pos] = items[parent]!;
      scores[pos] = scores[parent]!;
      pos = parent;
    }
    items[pos] = item;
    scores[pos] = score;
  }

  private siftDown(pos: number, item: number, score: number): void {
    const items = this.items;
    const scores = this.scores;
    const n = this.size;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && worse(items[child + 1]!, scores[child + 1]!, items[child]!, scores[child]!)) child++;
      if (!worse(items[child]!, scores[child]!, item, score)) break;
      items[pos] = items[child]!;
      scores[pos] = scores[child]!;
      pos = child;
    }
    items[pos] = item;
    scores[pos] = score;
  }
}

/** Whether (ia, sa) ranks below (ib, sb): lower score, or equal score and higher index. */
function worse(ia: number, sa: number, ib: number, sb: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/**
 * Top-k of scores[start .. start + n) (item i is scores[start + i]) into
 * outItems/outScores from outOffset, best first; returns how many were
 * written (fewer than k when fewer items have a finite score). The fast path
 * rejects most items with one comparison against the heap's threshold.
 */
export function selectTopK(
  scores: Float32Array,
  start: number,
  n: number,
  heap: TopKHeap,
  outItems: Int32Array,
  outScores: Float32Array,
  outOffset: number,
): number {
  heap.reset();
  let thr = heap.threshold;
  for (let i = 0; i < n; i++) {
    const s = scores[start + i]!;
    // Items arrive in increasing index order, so an equal score never displaces a kept item.
    if (s > thr) {
      heap.offer(i, s);
      thr = heap.threshold;
    }
  }
  return heap.drainInto(outItems, outScores, outOffset);
}
