import type { Progress } from '../../core/logger.js';

/** What the server thread hands a job's worker (structured-cloned). */
export interface WorkerInput {
  kind: string;
  params: Record<string, unknown>;
  storePath: string;
  modelsDir: string;
  /** Folder that relative product image paths resolve against. */
  imagesDir?: string;
  /** Threads the CF kernels may use in the worker. */
  threads: number;
  /** A kind registered by another module: the worker imports this module's export (file URL, export name). */
  task?: { module: string; exportName: string };
}

/** Messages from the worker to the server thread. */
export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: Record<string, unknown> }
  | { type: 'error'; code: string; message: string };

/** Messages from the server to a job's process. */
export type JobProcessCommand = { type: 'start'; input: WorkerInput } | { type: 'abort' };
