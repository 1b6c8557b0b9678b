import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { HostCommand, HostEvent, WorkerMessage } from './worker-protocol.js';

/**
 * Entry point of the job host: a small process the server starts once, at
 * the jobs' priority, that starts each job's own process and relays its
 * messages and output. Starting a process from the server itself blocks its
 * event loop while the kernel copies the server's page tables (fork): 16-17 ms
 * measured at the bench's 310-330 MB, once per job; from this process, whose
 * memory is a few tens of MB, the fork is ~1 ms and blocks nobody's
 * requests. Job processes inherit the host's scheduling policy (SCHED_IDLE
 * by default). When the server goes away the host kills its jobs and exits.
 */
const children = new Map<string, ChildProcess>();

function send(m: HostEvent): void {
  if (process.connected) process.send!(m);
}

function forwardLines(stream: Readable | null, jobId: string, name: 'stdout' | 'stderr'): void {
  if (stream === null) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => send({ type: 'output', jobId, stream: name, line }));
}

function start(jobId: string, argv: readonly string[], input: unknown): void {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
  children.set(jobId, child);
  forwardLines(child.stdout, jobId, 'stdout');
  forwardLines(child.stderr, jobId, 'stderr');
  child.on('message', (message: WorkerMessage) => send({ type: 'message', jobId, message }));
  child.on('error', (e: Error) => send({ type: 'spawn-error', jobId, message: e.message }));
  // 'close', not 'exit': it comes after the IPC channel has delivered every message.
  child.on('close', (code, signal) => {
    children.delete(jobId);
    send({ type: 'closed', jobId, code, signal });
  });
  if (child.connected) child.send({ type: 'start', input });
}

process.on('disconnect', () => {
  for (const c of children.values()) c.kill('SIGKILL');
  process.exit(0);
});

process.on('message', (m: HostCommand) => {
  if (m.type === 'start') start(m.jobId, m.argv, m.input);
  else {
    const child = children.get(m.jobId);
    if (child === undefined) return;
    if (m.type === 'abort') {
      if (child.connected) child.send({ type: 'abort' });
    } else child.kill('SIGKILL');
  }
});
