import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspacePaths } from '../core/workspace.js';
import { loadBundle, type ModelBundle } from '../recommend/bundle.js';
import type { Store } from '../store/store.js';
import { readDefaultModels } from './demo-models.js';
import { defaultModelsDir } from './demo-paths.js';
import { demoWorldKey } from './demo-world.js';

/**
 * The trained model `name` a CLI command reads: <workspace>/models/<name>,
 * else, in the demo shop's workspace (its store holds the world the
 * committed default models were trained on, and the shop serves those
 * without copying them), the committed model of that name, with a note on
 * stderr. Anything else is loadBundle's MODEL_NOT_FOUND.
 */
export async function loadWorkspaceModel(ws: WorkspacePaths, name: string, store: Store, env: NodeJS.ProcessEnv = process.env): Promise<ModelBundle> {
  const own = join(ws.models, name);
  if (existsSync(join(own, 'meta', 'manifest.json'))) return loadBundle(own);
  const committed = committedDemoModel(name, store, env);
  if (committed === undefined) return loadBundle(own);
  process.stderr.write(`note: using the committed default model "${name}" the demo shop serves (${committed}); \`vitrine train\` writes the workspace's own\n`);
  return loadBundle(committed);
}

/** The committed default model's folder when the store is the demo shop's world and that model is one of the defaults. */
function committedDemoModel(name: string, store: Store, env: NodeJS.ProcessEnv): string | undefined {
  const demoWorld = store.getMeta('demoWorld');
  const dir = defaultModelsDir(env);
  if (demoWorld === undefined || !existsSync(join(dir, 'manifest.json'))) return undefined;
  const m = readDefaultModels(dir);
  if (demoWorld !== demoWorldKey(m.world)) return undefined;
  return m.bundles.some((b) => b.name === name) ? join(dir, name) : undefined;
}
