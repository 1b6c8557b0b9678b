import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { VitrineError, type ErrorCode, ERROR_CODES } from '../../core/errors.js';
import type { ProgressFn } from '../../core/logger.js';
import { priorityLauncher, type JobPriority } from './job-priority.js';
import { processEntryArgs } from './spawn-worker.js';
import type { HostCommand, HostEvent, WorkerInput, WorkerMessage } from './worker-protocol.js';

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
 * process. The processes are started by a job host (job-host.ts), itself
 * started once at the jobs' priority, so the server never forks itself
 * while it answers requests. Aborting sends "abort" (the task stops at its
 * next check) and kills the process if it has not stopped within
 * `graceMs`. A process that exits without a result is an INTERNAL error,
 * and so is a host that dies (the next job starts a new one). What the
 * process prints (e.g. the engine's one-time notices) goes to `onOutput`
 * line by line, the server's logger, instead of the server's own terminal.
 */
export interface JobExecutor {
  /** Starts what the executor keeps running between jobs (its job host) ahead of the first job. */
  warm?(): void;
  /** Stops what the executor keeps running between jobs (its job host). */
  close?(): Promise<void>;
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

interface RunningJob {
  onMessage(m: WorkerMessage): void;
  onClosed(reason: string): void;
}

export class ProcessExecutor implements JobExecutor {
  private host: ChildProcess | undefined;
  private readonly running = new Map<string, RunningJob>();
  private nextJob = 1;

  constructor(
    private readonly env: JobEnv,
    private readonly graceMs = 5_000,
  ) {}

  /** The job host's process id, once one runs. */
  get hostPid(): number | undefined {
    return this.host?.pid;
  }

  run(kind: string, params: Record<string, unknown>, onProgress: ProgressFn, signal: AbortSignal, task?: { module: string; exportName: string }): Promise<Record<string, unknown>> {
    const { priority: _priority, onOutput: _onOutput, ...env } = this.env;
    const input: WorkerInput = { kind, params, ...env, ...(task === undefined ? {} : { task }) };
    const jobId = String(this.nextJob++);
    return new Promise((resolve, reject) => {
      let host: ChildProcess;
      try {
        host = this.ensureHost();
      } catch (e) {
        reject(new VitrineError('INTERNAL', `the job host failed to start: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        this.running.delete(jobId);
        signal.removeEventListener('abort', onAbort);
        f();
      };
      const send = (m: HostCommand): void => {
        if (host.connected) host.send(m);
      };
      const onAbort = (): void => {
        send({ type: 'abort', jobId });
        setTimeout(() => send({ type: 'kill', jobId }), this.graceMs).unref();
      };
      this.running.set(jobId, {
        onMessage: (m) => {
          if (m.type === 'progress') onProgress(m.progress);
          else if (m.type === 'result') settle(() => resolve(m.result));
          else settle(() => reject(new VitrineError(asCode(m.code), m.message)));
        },
        onClosed: (reason) => settle(() => reject(signal.aborted ? new VitrineError('ABORTED', 'job cancelled') : new VitrineError('INTERNAL', reason))),
      });
      signal.addEventListener('abort', onAbort);
      send({ type: 'start', jobId, argv: [process.execPath, ...processEntryArgs('job-process')], input });
      if (signal.aborted) onAbort();
    });
  }

  /** Starts the job host now (a listening server does, so its first job does not fork the server under load). */
  warm(): void {
    try {
      this.ensureHost();
    } catch {
      // The first job reports what went wrong.
    }
  }

  /** Stops the job host (and so any job still running). */
  close(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    if (host === undefined || host.exitCode !== null || host.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => host.once('exit', () => r()));
    host.kill('SIGKILL');
    return exited;
  }

  private ensureHost(): ChildProcess {
    if (this.host !== undefined && this.host.connected) return this.host;
    const { prefix } = priorityLauncher(this.env.priority ?? 'idle');
    const argv = [...prefix, process.execPath, ...processEntryArgs('job-host')];
    const host = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    const emit = this.env.onOutput ?? ((line: string) => void process.stderr.write(`[job] ${line}\n`));
    forwardLines(host.stdout, 'stdout', emit);
    forwardLines(host.stderr, 'stderr', emit);
    host.on('message', (m: HostEvent) => {
      if (m.type === 'output') emit(m.line, m.stream);
      else if (m.type === 'message') this.running.get(m.jobId)?.onMessage(m.message);
      else if (m.type === 'spawn-error') this.running.get(m.jobId)?.onClosed(`job process failed to start: ${m.message}`);
      else this.running.get(m.jobId)?.onClosed(`job process exited (${m.signal ?? `code ${m.code}`}) before reporting a result`);
    });
    const lost = (why: string): void => {
      if (this.host === host) this.host = undefined;
      for (const job of [...this.running.values()]) job.onClosed(why);
    };
    host.on('error', (e: Error) => lost(`the job host failed: ${e.message}`));
    host.on('close', (code, sig) => lost(`the job host exited (${sig ?? `code ${code}`})`));
    // Neither the host nor its channel keeps the server alive; close() (the job runner's) stops it.
    host.unref();
    host.channel?.unref();
    this.host = host;
    return host;
  }
}

function forwardLines(stream: Readable | null, name: 'stdout' | 'stderr', emit: (line: string, stream: 'stdout' | 'stderr') => void): void {
  if (stream === null) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (line.trim() !== '') emit(line, name);
  });
}

function asCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}
