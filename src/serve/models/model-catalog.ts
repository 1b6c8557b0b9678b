import { join } from 'node:path';
import { fail } from '../../core/errors.js';
import type { Item } from '../../data/schema.js';
import { loadBundle, savedBundleNames, type ModelBundle } from '../../recommend/bundle.js';
import { ServingModel } from './serving-model.js';

/**
 * The models a server holds in memory, by name (a folder of bundles written
 * by `vitrine train` / `vitrine demo`, or bundles handed over directly), and
 * which one answers requests that name none. A finished training job swaps
 * its bundle in with `put`; requests in flight keep the model they started with.
 */
export class ModelCatalog {
  private readonly models = new Map<string, ServingModel>();
  private activeName: string | undefined;

  constructor(private readonly itemOf: (id: string) => Item | undefined) {}

  /** Loads every bundle under `dir` (folders with meta/manifest.json); returns their names. */
  async loadDir(dir: string): Promise<string[]> {
    const names = savedBundleNames(dir);
    for (const name of names) this.put(name, await loadBundle(join(dir, name)));
    return names;
  }

  /**
   * Adds or replaces a model; the first one added becomes active unless one
   * is chosen. `warm` (default) builds its serving columns and scorer now;
   * otherwise its first use does.
   */
  put(name: string, bundle: ModelBundle, warm = true): ServingModel {
    const m = new ServingModel(name, bundle, this.itemOf);
    if (warm) m.warm();
    this.models.set(name, m);
    this.activeName ??= name;
    return m;
  }

  /** Recomputes every model's per-item columns (after catalog items changed). */
  refreshItems(): void {
    for (const m of this.models.values()) m.updateColumns(this.itemOf);
  }

  /** Chooses the default model: `preferred` if loaded, else hybrid, else als, else the first. */
  chooseDefault(preferred: string | null): void {
    for (const name of [preferred, 'hybrid', 'als']) {
      if (name !== null && this.models.has(name)) {
        this.activeName = name;
        return;
      }
    }
  }

  setActive(name: string): void {
    this.require(name);
    this.activeName = name;
  }

  get active(): ServingModel {
    if (this.activeName === undefined) fail('MODEL_NOT_FOUND', 'no model is loaded', { hint: 'train one (`vitrine train als`, `vitrine demo`, or POST /api/jobs) and restart, or wait for the job' });
    return this.require(this.activeName);
  }

  get activeModelName(): string | undefined {
    return this.activeName;
  }

  /** The model `name`, or the active one; MODEL_NOT_FOUND for an unknown name. */
  require(name?: string): ServingModel {
    if (name === undefined) return this.active;
    const m = this.models.get(name);
    if (m === undefined) fail('MODEL_NOT_FOUND', `no model "${name}" is loaded`, { hint: `loaded: ${[...this.models.keys()].join(', ') || 'none'}` });
    return m;
  }

  has(name: string): boolean {
    return this.models.has(name);
  }

  list(): ServingModel[] {
    return [...this.models.values()];
  }
}
