import { fail } from '../core/errors.js';
import { isAvailable, type Item } from '../data/schema.js';
import type { ModelBundle } from '../recommend/bundle.js';
import { PHOTO_DEFAULTS, searchByPhoto, type PhotoShopper } from '../recommend/photo.js';
import type { Store } from '../store/store.js';
import { nextGeneration } from '../vision/ann-files.js';
import type { VectorIndex } from '../vision/ann-index.js';
import { itemImagePath } from '../vision/build-index.js';
import { embedImage } from '../vision/encoder.js';
import type { ImageIndex } from '../vision/image-index.js';
import type { PhotoMatch, PhotoSearch, PhotoSearchInfo, PhotoSearchQuery, VisualNeighbour } from './photo-search.js';

/**
 * The service's PhotoSearch (photo-search.ts) on top of the vision module:
 * the upload is decoded, validated and embedded by the catalog image
 * index's own encoder, searched in its ANN index and blended with the
 * shopper's preference by recommend/photo.ts (paper 002: "balance visual
 * similarity with user preferences"). The index can arrive after the server
 * starts (the demo shop builds it as a background job): until then a search
 * fails with NOT_FITTED saying so, and info() reports the build's progress.
 * Filters (category, price, exclusions) are applied to the blended visual
 * candidates, so a filtered search still returns the best k that pass.
 */
export interface PhotoAdapterDeps {
  /** The store with the shoppers' events (their history is folded in for the blend); a function, as the server opens it after the adapter exists. */
  store: () => Store;
  /** Catalog lookup for the filters. */
  item: (id: string) => Item | undefined;
  /** The model whose preferences are blended in (the served one); undefined: visual similarity alone. */
  bundle: () => ModelBundle | undefined;
  /** Weight of visual similarity in the blend (default 0.7, recommend/photo.ts). */
  weight?: number;
  /** Visual candidates re-ranked and filtered (default 200). */
  candidates?: number;
  /** Where relative product image paths are (to embed a product's stored photo again into an index that replaces the current one). */
  imagesDir?: string;
  /** How long after a product photo is added the index is written to disk (default 500 ms; several uploads in that time, one write). */
  saveDelayMs?: number;
  /** Told when writing the index fails (it is kept in memory and written again at the next change or close). */
  onError?: (message: string, err: unknown) => void;
}

/** The `k` products whose stored image vectors are nearest product `itemId`'s, itself left out; undefined when it is not in the index. */
export function imageNeighbours(index: VectorIndex, itemId: string, k: number): VisualNeighbour[] | undefined {
  const v = index.vectorOf(itemId);
  if (v === undefined) return undefined;
  return index.search(v, k + 1).filter((h) => h.key !== itemId).slice(0, k).map((h) => ({ itemId: h.key, similarity: h.similarity }));
}

export class IndexPhotoSearch implements PhotoSearch {
  private index: ImageIndex | undefined;
  private status: () => string = () => 'the image index has not been built';
  /** Products whose photo was set since the index in use was opened, with when (an index built meanwhile may lack them). */
  private readonly added = new Map<string, number>();
  private saveTimer: NodeJS.Timeout | undefined;
  /** The generation of the index files that the index in use was read from or last written as. */
  private generation = 0;

  constructor(private readonly deps: PhotoAdapterDeps) {}

  /**
   * Serves `index` from now on (the previous index's encoder is released).
   * Product photos set since `since` (when the build that made it started;
   * default: every photo set since the previous index was opened) are
   * embedded into it again, from their stored files, with its own encoder:
   * the build may have read the catalog before them.
   */
  async use(index: ImageIndex, opts: { since?: number } = {}): Promise<void> {
    const old = this.index;
    // A pending write of the old index would overwrite the new one's files: the photos are embedded into the new one below instead.
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.index = index;
    this.generation = nextGeneration(index.path) - 1;
    if (old !== undefined && old.encoder !== index.encoder) await old.encoder.dispose?.();
    const since = opts.since ?? -Infinity;
    const again = [...this.added].filter(([, at]) => at >= since).map(([id]) => id);
    this.added.clear();
    let changed = false;
    for (const id of again) {
      const image = this.deps.item(id)?.image;
      if (image === null || image === undefined || this.deps.imagesDir === undefined) continue;
      try {
        index.index.add(id, await embedImage(index.encoder, itemImagePath(image, this.deps.imagesDir)));
        changed = true;
      } catch (e) {
        this.deps.onError?.(`could not embed the photo of product "${id}" into the new image index`, e);
      }
    }
    if (changed) this.saveSoon();
  }

  async addProduct(itemId: string, image: Uint8Array): Promise<boolean> {
    const ix = this.index;
    this.added.set(itemId, Date.now());
    if (ix === undefined) return false;
    const vector = await embedImage(ix.encoder, image, { name: `the image of product "${itemId}"` });
    // The index may have been swapped while the photo was embedded: use() has then embedded it into the new one.
    if (this.index !== ix) return true;
    ix.index.add(itemId, vector);
    this.saveSoon();
    return true;
  }

  /** Writes the index in use after a short delay (coalescing uploads that come together). */
  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => this.flushSave(), this.deps.saveDelayMs ?? 500);
    this.saveTimer.unref();
  }

  /** Writes a pending change of the index in use now. */
  private flushSave(): void {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const ix = this.index;
    if (ix === undefined) return;
    try {
      // Files written by someone else since (an index build job) are not overwritten: its index replaces this one through use().
      const next = nextGeneration(ix.path);
      if (next - 1 !== this.generation) return;
      ix.index.save(ix.path);
      this.generation = next;
    } catch (e) {
      this.deps.onError?.(`could not write the image index at ${ix.path}`, e);
    }
  }

  /** Says why there is no index yet (e.g. "building the image index: 40%"); a function is asked each time. */
  setStatus(message: string | (() => string)): void {
    this.status = typeof message === 'string' ? () => message : message;
  }

  get ready(): boolean {
    return this.index !== undefined;
  }

  info(): PhotoSearchInfo {
    const ix = this.index;
    if (ix === undefined) return { ready: false, message: this.status(), weight: this.weight, size: 0 };
    return { ready: true, message: `${ix.index.size} products, ${ix.encoder.kind} encoder (${ix.encoder.dim}-d)`, weight: this.weight, size: ix.index.size };
  }

  private get weight(): number {
    return this.deps.weight ?? PHOTO_DEFAULTS.weight;
  }

  async search(image: Uint8Array, _mimeType: string, query: PhotoSearchQuery): Promise<PhotoMatch[]> {
    const ix = this.index;
    if (ix === undefined) fail('NOT_FITTED', `photo search is not ready: ${this.status()}`, { hint: 'try again in a few seconds' });
    const shopper = this.shopperFor(query.shopperId);
    const candidates = Math.max(this.deps.candidates ?? PHOTO_DEFAULTS.candidates, 4 * query.k);
    const r = await searchByPhoto(image, ix, { k: candidates, candidates, weight: this.weight, name: 'the uploaded photo', ...(shopper === undefined ? {} : { shopper }) });
    const keep = this.filter(query);
    const out: PhotoMatch[] = [];
    for (const m of r.items) {
      if (out.length >= query.k) break;
      if (keep(m.itemId)) out.push({ itemId: m.itemId, score: m.score, visual: m.visual, preference: m.preference });
    }
    return out;
  }

  neighbours(itemId: string, k: number): VisualNeighbour[] | undefined {
    return this.index === undefined ? undefined : imageNeighbours(this.index.index, itemId, k);
  }

  /** The blend's shopper, when the model or the store knows them (an anonymous visitor with no events gets visual similarity alone). */
  private shopperFor(shopperId: string | undefined): PhotoShopper | undefined {
    const bundle = this.deps.bundle();
    if (shopperId === undefined || bundle === undefined) return undefined;
    const store = this.deps.store();
    const known = bundle.users.has(shopperId) || store.getShopper(shopperId) !== undefined || store.eventsOf(shopperId).length > 0;
    return known ? { bundle, store, shopperId } : undefined;
  }

  private filter(q: PhotoSearchQuery): (itemId: string) => boolean {
    const categories = q.categories === undefined ? undefined : new Set(q.categories);
    const exclude = new Set(q.exclude ?? []);
    return (id) => {
      if (exclude.has(id)) return false;
      const it = this.deps.item(id);
      if (it === undefined || !isAvailable(it)) return false;
      if (categories !== undefined && !categories.has(it.category)) return false;
      if (q.minPrice !== undefined && (it.price === null || it.price < q.minPrice)) return false;
      if (q.maxPrice !== undefined && (it.price === null || it.price > q.maxPrice)) return false;
      return true;
    };
  }

  /** Writes a pending change, then releases the encoder. */
  async close(): Promise<void> {
    this.flushSave();
    await this.index?.encoder.dispose?.();
    this.index = undefined;
  }
}
