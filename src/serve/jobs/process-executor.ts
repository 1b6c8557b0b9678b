import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { VitrineError, type ErrorCode, ERROR_CODES } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { priorityLauncher, type JobPriority } from './job-priority.js';
import { processEntryArgs } from './spawn-worker.js';
import type { JobProcessCommand, WorkerInput, WorkerMessage } from './worker-protocol.js';

/**
 * Runs one job in a fresh child process and resolves with its result.
 *
 * A process rather than a worker thread: a thread can lower its own
 * priority, but the threads it leans on cannot be lowered with it (the V8
 * platform's garbage-collector helpers are shared by every isolate in the
 * process and run at the server's priority), and a training job keeps them
 * busy. Measured on this 2-core machine with hybrid training jobs back to
 * back while /api/recommendations takes 500 requests/s: p99 43-66 ms with
 * the job in a nice-10 worker thread, 10-14 ms with it in a SCHED_IDLE
 * process. Aborting sends "abort" (the task stops at its next check) and
 * kills the process if it has not stopped within `graceMs`. A process that
 * exits without a result is an INTERNAL error. What the process prints
 * (e.g. the engine's one-time notices) goes to `onOutput` line by line,
 * the server's logger, instead of the server's own terminal.
 */
export interface JobExecutor {
  run(kind: string, params: Record<string, unknown>, onProgress: ProgressFn, signal: AbortSignal, task?: { module: string; exportName: string }): Promise<Record<string, unknown>>;
}

export interface JobEnv {
  storePath: string;
  modelsDir: string;
  /** Folder that relative product image paths resolve against (the visual models read the images). */
  imagesDir?: string;
  /** Threads the CF kernels may use in the job. */
  threads: number;
  /** Scheduling priority of the job's process (default "idle"). */
  priority?: JobPriority;
  /** Each line the job's process prints on stdout or stderr (default: to this process's stderr). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export class ProcessExecutor implements JobExecutor {
  constructor(
    private readonly env: JobEnv,
    private readonly graceMs = 5_000,
  ) {}

  run(kind: string, params: Record<string, unknown>, onProgress: ProgressFn, signal: AbortSignal, task?: { module: string; exportName: string }): Promise<Record<string, unknown>> {
    const { priority: _priority, onOutput, ...env } = this.env;
    const input: WorkerInput = { kind, params, ...env, ...(task === undefined ? {} : { task }) };
    const { prefix } = priorityLauncher(this.env.priority ?? 'idle');
    const argv = [...prefix, process.execPath, ...processEntryArgs('job-process')];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
      forwardLines(child.stdout, 'stdout', onOutput);
      forwardLines(child.stderr, 'stderr', onOutput);
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        f();
      };
      const send = (m: JobProcessCommand): void => {
        if (child.connected) child.send(m);
      };
      const onAbort = (): void => {
        send({ type: 'abort' });
        setTimeout(() => child.kill('SIGKILL'), this.graceMs).unref();
      };
      signal.addEventListener('abort', onAbort);
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'result') settle(() => resolve(m.result));
        else settle(() => reject(new VitrineError(asCode(m.code), m.message)));
      });
      child.on('error', (e: Error) => settle(() => reject(new VitrineError('INTERNAL', `job process failed to start: ${e.message}`, { cause: e }))));
      // 'close', not 'exit': it comes after the IPC channel has delivered every message.
      child.on('close', (code, sig) => {
        settle(() => reject(signal.aborted ? new VitrineError('ABORTED', 'job cancelled') : new VitrineError('INTERNAL', `job process exited (${sig ?? `code ${code}`}) before reporting a result`)));
      });
      send({ type: 'start', input });
      if (signal.aborted) onAbort();
    });
  }
}

function forwardLines(stream: Readable | null, name: 'stdout' | 'stderr', onOutput: JobEnv['onOutput']): void {
  if (stream === null) return;
  const emit = onOutput ?? ((line: string) => void process.stderr.write(`[job] ${line}\n`));
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (line.trim() !== '') emit(line, name);
  });
}

function asCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}
