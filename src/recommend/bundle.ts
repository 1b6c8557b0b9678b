import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readArtifactAsync, requireTensor, tensor, writeArtifact } from '../core/artifact.js';
import { fail } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import type { Recommender } from './recommender.js';
import { yieldToEventLoop } from './model-base.js';
import { loadModelAsync } from './registry.js';

/**
 * A trained model ready to serve: the index-only model artifact, the id maps
 * that translate shopper and product ids to its indices, the popularity
 * fallback, and what it was trained on. On disk:
 *   <dir>/model/   the model's artifact (manifest.json + tensors)
 *   <dir>/meta/    an artifact of kind "bundle": popularity tensor, ids and info in extra
 * Written into a temporary sibling and renamed, so a crash never leaves a
 * half-written bundle where a good one was.
 */
export interface BundleInfo {
  name: string;
  kind: string;
  createdAt: string;
  dataset: { name: string; users: number; items: number; pairs: number; events: number };
  /** How events became training strengths (e.g. "binary" or "weighted: view 1, click 2, ..."). */
  signal: string;
  /** Held-out metrics measured at train time, with their protocol. */
  evaluation: { protocol: string; metrics: Record<string, number> } | null;
  fitSeconds: number;
  /** The synthetic world the data came from, when it did (so the demo can rebuild it). */
  world: Record<string, unknown> | null;
}

export interface ModelBundle {
  model: Recommender;
  users: IdMap;
  items: IdMap;
  /** Fallback scores per item index (training interaction counts). */
  popularity: Float32Array;
  info: BundleInfo;
}

const BUNDLE_VERSION = 1;

export async function saveBundle(dir: string, bundle: ModelBundle): Promise<void> {
  const { model, users, items, popularity, info } = bundle;
  if (users.size !== model.nUsers || items.size !== model.nItems) {
    fail('INVALID_ARGUMENT', `id maps (${users.size} users, ${items.size} items) do not match the model (${model.nUsers}, ${model.nItems})`);
  }
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await model.save(join(tmp, 'model'));
    writeArtifact(
      join(tmp, 'meta'),
      { kind: 'bundle', version: BUNDLE_VERSION, hyperparameters: {}, extra: { info, users: users.toJSON(), items: items.toJSON() } },
      { popularity: tensor(popularity) },
    );
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** Names of the bundles saved in a models folder (sub-folders with a bundle manifest; half-written ones left out), sorted. */
export function savedBundleNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.includes('.tmp-') && !e.name.includes('.old-') && existsSync(join(dir, e.name, 'meta', 'manifest.json')))
    .map((e) => e.name)
    .sort();
}

export async function loadBundle(dir: string): Promise<ModelBundle> {
  if (!existsSync(join(dir, 'meta', 'manifest.json'))) {
    fail('MODEL_NOT_FOUND', `no trained model at ${dir}`, { hint: 'train one with `vitrine train <model>` (or run `vitrine demo`)' });
  }
  // A server loads bundles while it answers requests: every step below lets the event loop run before the next.
  const { manifest, tensors } = await readArtifactAsync(join(dir, 'meta'));
  if (manifest.kind !== 'bundle' || manifest.version > BUNDLE_VERSION) {
    fail('MODEL_INCOMPATIBLE', `${dir} is not a model bundle this vitrine can read`);
  }
  const extra = manifest.extra as { info: BundleInfo; users: string[]; items: string[] };
  const model = await loadModelAsync(join(dir, 'model'));
  await yieldToEventLoop();
  const users = IdMap.from(extra.users);
  await yieldToEventLoop();
  const items = IdMap.from(extra.items);
  const popularity = requireTensor(tensors, 'popularity', 'float32').data;
  if (users.size !== model.nUsers || items.size !== model.nItems || popularity.length !== model.nItems) {
    fail('MODEL_INCOMPATIBLE', `${dir}: id maps do not match the model`);
  }
  return { model, users, items, popularity, info: extra.info };
}
