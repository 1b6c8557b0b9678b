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

/** Messages from the server to the job host (job-host.ts). */
export type HostCommand =
  | { type: 'start'; jobId: string; argv: readonly string[]; input: WorkerInput }
  | { type: 'abort'; jobId: string }
  | { type: 'kill'; jobId: string };

/** Messages from the job host to the server: a job's messages, output and end. */
export type HostEvent =
  | { type: 'message'; jobId: string; message: WorkerMessage }
  | { type: 'output'; jobId: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'spawn-error'; jobId: string; message: string }
  | { type: 'closed'; jobId: string; code: number | null; signal: NodeJS.Signals | null };
