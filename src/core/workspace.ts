import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where every command keeps its state (architecture.md, "Workspace"). */
export interface WorkspacePaths {
  root: string;
  /** The SQLite store. */
  store: string;
  /** Product images (imported or rendered). */
  images: string;
  /** Trained model artifacts, one directory per model. */
  models: string;
  /** ANN indexes. */
  indexes: string;
  /** Synthetic worlds written by `vitrine world` / `vitrine demo`. */
  worlds: string;
  /** Reports (evaluation results, benchmark JSON). */
  reports: string;
  logs: string;
}

export const DEFAULT_WORKSPACE = './vitrine-data';

/** Resolves the workspace: explicit option, else $VITRINE_WORKSPACE, else ./vitrine-data. */
export function resolveWorkspace(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option ?? env.VITRINE_WORKSPACE ?? DEFAULT_WORKSPACE;
  return resolve(chosen);
}

export function workspacePaths(root: string): WorkspacePaths {
  return {
    root,
    store: join(root, 'vitrine.db'),
    images: join(root, 'images'),
    models: join(root, 'models'),
    indexes: join(root, 'indexes'),
    worlds: join(root, 'worlds'),
    reports: join(root, 'reports'),
    logs: join(root, 'logs'),
  };
}

/** Creates the workspace folders that do not exist yet and returns their paths. */
export function ensureWorkspace(root: string): WorkspacePaths {
  const p = workspacePaths(root);
  for (const dir of [p.root, p.images, p.models, p.indexes, p.worlds, p.reports, p.logs]) {
    mkdirSync(dir, { recursive: true });
  }
  return p;
}

/** Resolves the datasets folder: explicit option, else $VITRINE_DATASETS; undefined when neither is set. */
export function resolveDatasets(option?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = option ?? env.VITRINE_DATASETS;
  return chosen === undefined ? undefined : resolve(chosen);
}
