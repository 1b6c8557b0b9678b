import { fail } from './errors.js';

/**
 * String ids at the edge, dense integer indices inside (conventions.md #2).
 * `userId`/`itemId` are strings; `userIdx`/`itemIdx` are indices into an IdMap.
 */
export class IdMap {
  private readonly toIdx = new Map<string, number>();
  private readonly ids: string[] = [];

  static from(ids: Iterable<string>): IdMap {
    const m = new IdMap();
    for (const id of ids) m.add(id);
    return m;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Index of `id`, adding it at the end if it is new. */
  add(id: string): number {
    const known = this.toIdx.get(id);
    if (known !== undefined) return known;
    const idx = this.ids.length;
    this.ids.push(id);
    this.toIdx.set(id, idx);
    return idx;
  }

  /** Index of `id`, or undefined when unknown. */
  get(id: string): number | undefined {
    return this.toIdx.get(id);
  }

  has(id: string): boolean {
    return this.toIdx.has(id);
  }

  /** Index of `id`; throws UNKNOWN_ID naming `what` when it is not known. */
  require(id: string, what = 'id'): number {
    const idx = this.toIdx.get(id);
    if (idx === undefined) fail('UNKNOWN_ID', `unknown ${what} "${id}"`);
    return idx;
  }

  /** The string id at `idx`; throws on an out-of-range index. */
  idOf(idx: number): string {
    const id = this.ids[idx];
    if (id === undefined) fail('UNKNOWN_ID', `index ${idx} out of range (size ${this.ids.length})`);
    return id;
  }

  toArray(): readonly string[] {
    return this.ids;
  }

  toJSON(): string[] {
    return this.ids.slice();
  }
}
