import { toVitrineError } from '../../core/errors.js';
import type { Progress } from '../../core/logger.js';
import { configureCfKernels } from '../../engine/cf/kernels.js';
import { JOB_TASKS, type JobTask } from './job-tasks.js';
import type { JobProcessCommand, WorkerInput, WorkerMessage } from './worker-protocol.js';

/**
 * Entry point of a job's child process. The server starts it at low
 * scheduling priority (job-priority.ts), sends "start" with the job, and
 * may send "abort" (the task's signal fires). The process posts progress,
 * then the result or the error, and exits. It also exits when the server
 * goes away (the IPC channel closes), so a killed server leaves no job
 * running behind it.
 */

function post(m: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

async function run(input: WorkerInput, signal: AbortSignal): Promise<void> {
  configureCfKernels({ threads: input.threads });
  let last = 0;
  const onProgress = (p: Progress): void => {
    const now = Date.now();
    if (now - last < 100 && p.done < p.total) return;
    last = now;
    void post({ type: 'progress', progress: p });
  };
  try {
    const task = input.task === undefined ? JOB_TASKS[input.kind] : ((await import(input.task.module)) as Record<string, JobTask>)[input.task.exportName];
    if (typeof task !== 'function') throw new Error(`no task for job kind "${input.kind}"`);
    const result = await task(input.params, { storePath: input.storePath, modelsDir: input.modelsDir, ...(input.imagesDir === undefined ? {} : { imagesDir: input.imagesDir }), onProgress, signal });
    await post({ type: 'result', result });
  } catch (e) {
    const err = toVitrineError(e);
    await post({ type: 'error', code: err.code, message: err.message });
  }
}

function main(): void {
  const controller = new AbortController();
  let started = false;
  // The server went away (or never sent the job): nobody wants the result.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (m: JobProcessCommand) => {
    if (m.type === 'abort') controller.abort();
    else if (m.type === 'start' && !started) {
      started = true;
      void run(m.input, controller.signal).finally(() => process.exit(0));
    }
  });
}

main();
