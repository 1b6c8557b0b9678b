import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { toVitrineError } from '../../core/errors.js';
import type { Progress } from '../../core/logger.js';
import { configureCfKernels } from '../../engine/cf/kernels.js';
import { JOB_TASKS, type JobTask } from './job-tasks.js';
import type { WorkerInput, WorkerMessage } from './worker-protocol.js';

/**
 * Entry point of a job's worker thread. It runs one task and posts progress,
 * then the result or the error, to the server thread; an "abort" message
 * fires the task's signal. The thread lowers its own scheduling priority and
 * caps the CF kernels' threads, so a training job leaves the server's
 * request path the CPU it needs.
 */

/** Linux keeps a nice value per thread; setpriority on this thread's id lowers only this thread (and threads it starts). */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the job runs at normal priority.
  }
}

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const controller = new AbortController();
  parentPort?.on('message', (m: { type?: string }) => {
    if (m.type === 'abort') controller.abort();
  });
  lowerPriority();
  configureCfKernels({ threads: input.threads });
  let last = 0;
  const onProgress = (p: Progress): void => {
    const now = Date.now();
    if (now - last < 100 && p.done < p.total) return;
    last = now;
    post({ type: 'progress', progress: p });
  };
  try {
    const task = input.task === undefined ? JOB_TASKS[input.kind] : ((await import(input.task.module)) as Record<string, JobTask>)[input.task.exportName];
    if (typeof task !== 'function') throw new Error(`no task for job kind "${input.kind}"`);
    const result = await task(input.params, { storePath: input.storePath, modelsDir: input.modelsDir, onProgress, signal: controller.signal });
    post({ type: 'result', result });
  } catch (e) {
    const err = toVitrineError(e);
    post({ type: 'error', code: err.code, message: err.message });
  } finally {
    parentPort?.close();
  }
}

void main();
