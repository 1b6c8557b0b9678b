import { join } from 'node:path';
import { fail } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { trainBundle } from '../../evaluate/train-bundle.js';
import { saveBundle } from '../../recommend/bundle.js';
import { openStore } from '../../store/index.js';
import type { TrainParams } from './job-kinds.js';

/**
 * The work of each job kind, run inside the job's process (job-process.ts),
 * so a training job never blocks the server's event loop. A task reads the
 * store read-only (WAL lets it read while the server writes), reports
 * progress, stops on the signal, and writes its output atomically (a
 * bundle is renamed into place), then returns a small JSON result.
 */
export interface TaskEnv {
  storePath: string;
  modelsDir: string;
  /** Folder that relative product image paths resolve against (the visual models read the images). */
  imagesDir?: string;
  onProgress: ProgressFn;
  signal: AbortSignal;
}

export type JobTask = (params: Record<string, unknown>, env: TaskEnv) => Promise<Record<string, unknown>>;

async function train(params: Record<string, unknown>, env: TaskEnv): Promise<Record<string, unknown>> {
  const p = params as unknown as TrainParams;
  if (env.storePath === ':memory:') fail('UNSUPPORTED', 'training jobs read the store from its file; an in-memory store cannot be shared with a worker');
  env.onProgress({ phase: 'load data', done: 0, total: 1 });
  const store = openStore(env.storePath, { readonly: true });
  let dataset;
  try {
    dataset = store.loadDataset();
    const world = store.getMeta('demoWorld');
    env.onProgress({ phase: 'load data', done: 1, total: 1 });
    const { bundle, evaluation } = await trainBundle({
      dataset,
      kind: p.model,
      name: p.name,
      config: p.config,
      evaluate: p.evaluate,
      seed: p.seed,
      world: world === undefined ? null : (JSON.parse(world) as Record<string, unknown>),
      ...(env.imagesDir === undefined ? {} : { images: { imagesDir: env.imagesDir } }),
      onProgress: env.onProgress,
      signal: env.signal,
    });
    env.onProgress({ phase: 'save', done: 0, total: 1 });
    await saveBundle(join(env.modelsDir, p.name), bundle);
    env.onProgress({ phase: 'save', done: 1, total: 1 });
    return {
      name: p.name,
      kind: p.model,
      fitSeconds: bundle.info.fitSeconds,
      dataset: bundle.info.dataset,
      evaluation: evaluation === undefined ? null : { protocol: evaluation.protocol, metrics: evaluation.metrics },
    };
  } finally {
    store.close();
  }
}

export const JOB_TASKS: Readonly<Record<string, JobTask>> = { train };
