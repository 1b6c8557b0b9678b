import { VitrineError, type ErrorCode, ERROR_CODES } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { spawnWorker } from './spawn-worker.js';
import type { WorkerInput, WorkerMessage } from './worker-protocol.js';

/**
 * Runs one job in a fresh worker thread (node:worker_threads) and resolves
 * with its result. Aborting posts "abort" to the worker (the task stops at
 * its next check) and terminates it if it has not stopped within
 * `graceMs`. A worker that dies without a result is an INTERNAL error.
 */
export interface JobExecutor {
  run(kind: string, params: Record<string, unknown>, onProgress: ProgressFn, signal: AbortSignal, task?: { module: string; exportName: string }): Promise<Record<string, unknown>>;
}

export interface WorkerEnv {
  storePath: string;
  modelsDir: string;
  threads: number;
}

export class WorkerExecutor implements JobExecutor {
  constructor(
    private readonly env: WorkerEnv,
    private readonly graceMs = 5_000,
  ) {}

  run(kind: string, params: Record<string, unknown>, onProgress: ProgressFn, signal: AbortSignal, task?: { module: string; exportName: string }): Promise<Record<string, unknown>> {
    const input: WorkerInput = { kind, params, ...this.env, ...(task === undefined ? {} : { task }) };
    return new Promise((resolve, reject) => {
      const worker = spawnWorker('job-worker', { workerData: input });
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        f();
      };
      const onAbort = (): void => {
        worker.postMessage({ type: 'abort' });
        setTimeout(() => void worker.terminate(), this.graceMs).unref();
      };
      signal.addEventListener('abort', onAbort);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'result') settle(() => resolve(m.result));
        else settle(() => reject(new VitrineError(asCode(m.code), m.message)));
      });
      worker.on('error', (e: Error) => settle(() => reject(new VitrineError('INTERNAL', `job worker failed: ${e.message}`, { cause: e }))));
      worker.on('exit', (code) => {
        settle(() => reject(signal.aborted ? new VitrineError('ABORTED', 'job cancelled') : new VitrineError('INTERNAL', `job worker exited with code ${code} before reporting a result`)));
      });
    });
  }
}

function asCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}
