import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../core/errors.js';
import type { ProgressFn } from '../core/logger.js';
import type { WorkspacePaths } from '../core/workspace.js';
import { buildDataset } from '../data/dataset.js';
import { generateWorld, readWorldManifest, WORLD_FILES, worldEvents } from '../data/world/index.js';
import { trainBundle } from '../evaluate/train-bundle.js';
import { loadBundle, saveBundle, type ModelBundle } from '../recommend/bundle.js';
import type { ModelKind } from '../recommend/recommender.js';
import { prepareDemoWorld } from './demo-world.js';

/**
 * The default models that ship in the repository's models/ folder: small
 * bundles trained on the default demo world, so `vitrine shop` serves a
 * shop with recommendations at once, without training. models/manifest.json
 * records the world they were trained on (seed and size) and a fingerprint
 * of its files; the shop rebuilds that world from its seed and refuses to
 * serve models that do not match it. `vitrine shop --train-defaults`
 * regenerates them (same seed, same hyperparameters: the same metrics
 * within floating-point tolerance).
 */

/** The world the defaults are trained on (the `vitrine demo` defaults). */
export interface WorldKey {
  seed: number;
  items: number;
  shoppers: number;
  days: number;
}

export const DEFAULT_DEMO_WORLD: Readonly<WorldKey> = Object.freeze({ seed: 7, items: 2000, shoppers: 1000, days: 60 });

export interface ModelSpec {
  name: string;
  kind: ModelKind;
  config: Record<string, unknown>;
}

/**
 * Popularity (the baseline and fallback), ALS and the hybrid served by
 * default, and the visual hybrid (ALS, VBPR over the classic features of the
 * product images, content) that the demo experiment tests against them;
 * float32 factors, about 4.6 MB in all.
 */
export const DEFAULT_MODEL_SPECS: readonly ModelSpec[] = Object.freeze([
  { name: 'pop', kind: 'pop', config: {} },
  { name: 'als', kind: 'als', config: { factors: 64, iterations: 15 } },
  { name: 'hybrid', kind: 'hybrid', config: {} },
  { name: 'visual-hybrid', kind: 'visual-hybrid', config: {} },
]);

export interface DefaultModelsManifest {
  format: 'vitrine-default-models';
  version: 1;
  world: WorldKey;
  /** sha256 over the world's items, shoppers and events files. */
  worldFingerprint: string;
  createdBy: string;
  bundles: { name: string; kind: string; users: number; items: number; pairs: number; events: number; metrics: Record<string, number> }[];
}

const MANIFEST = 'manifest.json';
const FINGERPRINTED = [WORLD_FILES.items, WORLD_FILES.shoppers, WORLD_FILES.events];

/** sha256 of the world folder's data files (not the images): equal worlds, equal fingerprints. */
export function worldFingerprint(worldDir: string): string {
  const h = createHash('sha256');
  for (const f of FINGERPRINTED) {
    h.update(`${f}\n`);
    h.update(readFileSync(join(worldDir, f)));
  }
  return `sha256:${h.digest('hex')}`;
}

export interface TrainDefaultsOptions {
  ws: WorkspacePaths;
  /** Where the bundles and manifest.json go. */
  out: string;
  world?: WorldKey;
  specs?: readonly ModelSpec[];
  /** Measure held-out metrics first (the dashboard shows them; default true). */
  evaluate?: boolean;
  onProgress?: ProgressFn;
}

/** Builds (or reuses) the world in the workspace, trains each model on exactly its events, and writes bundles and manifest to `out`. */
export async function trainDefaultModels(opts: TrainDefaultsOptions): Promise<DefaultModelsManifest> {
  const world = opts.world ?? DEFAULT_DEMO_WORLD;
  const report = opts.onProgress ?? (() => undefined);
  const { dir } = await prepareDemoWorld(opts.ws, world, report);
  // The dataset comes from the world itself, not the store, so traffic a shop added to the store never leaks in.
  const w = await generateWorld(world);
  const dataset = buildDataset(`world-${world.seed}`, w.items, w.shoppers, worldEvents(w));
  const expected = readWorldManifest(dir).counts.events;
  if (dataset.events.user.length !== expected) fail('INTERNAL', `the regenerated world has ${dataset.events.user.length} events, its folder ${expected}`);
  mkdirSync(opts.out, { recursive: true });
  const bundles: DefaultModelsManifest['bundles'] = [];
  for (const spec of opts.specs ?? DEFAULT_MODEL_SPECS) {
    // Item image paths are relative to the world folder.
    const { bundle } = await trainBundle({ dataset, kind: spec.kind, name: spec.name, config: spec.config, evaluate: opts.evaluate !== false, world: { ...world }, images: { imagesDir: dir }, onProgress: report });
    await saveBundle(join(opts.out, spec.name), bundle);
    const d = bundle.info.dataset;
    bundles.push({ name: spec.name, kind: spec.kind, users: d.users, items: d.items, pairs: d.pairs, events: d.events, metrics: bundle.info.evaluation?.metrics ?? {} });
  }
  const manifest: DefaultModelsManifest = {
    format: 'vitrine-default-models',
    version: 1,
    world: { ...world },
    worldFingerprint: worldFingerprint(dir),
    createdBy: 'vitrine shop --train-defaults',
    bundles,
  };
  writeFileSync(join(opts.out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads `<dir>/manifest.json`; MODEL_NOT_FOUND with a hint when there is none. */
export function readDefaultModels(dir: string): DefaultModelsManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) fail('MODEL_NOT_FOUND', `no default models at ${dir} (${MANIFEST} is missing)`, { hint: 'train them: vitrine shop --train-defaults' });
  const m = JSON.parse(readFileSync(path, 'utf8')) as DefaultModelsManifest;
  if (m.format !== 'vitrine-default-models' || m.version !== 1) fail('MODEL_INCOMPATIBLE', `${path} is not a default-models manifest this vitrine reads`);
  return m;
}

const sameWorld = (a: Partial<WorldKey> | null | undefined, b: WorldKey): boolean =>
  a != null && a.seed === b.seed && a.items === b.items && a.shoppers === b.shoppers && a.days === b.days;

const describe = (w: WorldKey): string => `seed ${w.seed}, ${w.items} products, ${w.shoppers} shoppers, ${w.days} days`;

/**
 * Loads the default bundles after checking they belong to the world being
 * served: the manifest's world and fingerprint must equal the rebuilt
 * world's, and every bundle must record that world and its counts.
 * MODEL_INCOMPATIBLE otherwise (never serve models of another shop).
 */
export async function loadDefaultModels(dir: string, world: WorldKey, worldDir: string): Promise<Record<string, ModelBundle>> {
  const m = readDefaultModels(dir);
  const hint = 'regenerate them for this world: vitrine shop --train-defaults (then commit models/)';
  if (!sameWorld(m.world, world)) fail('MODEL_INCOMPATIBLE', `the default models in ${dir} were trained on another world (${describe(m.world)}), not the one served (${describe(world)})`, { hint });
  const fp = worldFingerprint(worldDir);
  if (fp !== m.worldFingerprint) {
    fail('MODEL_INCOMPATIBLE', `the rebuilt world (${describe(world)}) differs from the one the default models were trained on: fingerprint ${fp.slice(0, 19)}… vs ${m.worldFingerprint.slice(0, 19)}…`, { hint });
  }
  const counts = readWorldManifest(worldDir).counts;
  const out: Record<string, ModelBundle> = {};
  for (const b of m.bundles) {
    const bundle = await loadBundle(join(dir, b.name));
    const d = bundle.info.dataset;
    if (!sameWorld(bundle.info.world as Partial<WorldKey> | null, world) || d.items !== counts.items || d.users !== counts.shoppers || d.events !== counts.events) {
      fail('MODEL_INCOMPATIBLE', `model "${b.name}" in ${dir} was trained on ${d.users} shoppers, ${d.items} products and ${d.events} events, but the world has ${counts.shoppers}, ${counts.items} and ${counts.events}`, { hint });
    }
    out[b.name] = bundle;
  }
  return out;
}
