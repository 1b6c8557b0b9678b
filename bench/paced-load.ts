import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { processEntryArgs } from '../src/serve/jobs/spawn-worker.js';
import { round } from './stats.js';

/**
 * The open-loop load generator of `vitrine bench serve`, and a way to run it
 * in a child process of its own. Run inside the bench process it would share
 * that process's heap (the world, its events, the trained models: hundreds
 * of megabytes), and each major garbage collection there would stall the
 * generator and be counted as server latency.
 */


const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** One keep-alive connection of the paced generator: requests in flight in order, responses parsed by Content-Length. */
class PacedConnection {
  private readonly socket: Socket;
  private buf: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  readonly inFlight: { due: number }[] = [];
  dead = false;

  /** Resolves when the socket is connected (or has failed: the error path counts its requests). */
  readonly ready: Promise<void>;

  constructor(host: string, port: number, private readonly onDone: (due: number, status: number) => void, onError: (lost: number) => void) {
    this.socket = connect({ host, port });
    this.ready = new Promise((resolve) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', () => resolve());
    });
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.read(d));
    this.socket.on('error', () => {
      this.dead = true;
      const lost = this.inFlight.length;
      this.inFlight.length = 0;
      onError(lost);
    });
  }

  send(path: string, host: string, due: number): void {
    this.inFlight.push({ due });
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  }

  private read(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = this.buf.subarray(0, headerEnd).toString('latin1');
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (this.buf.length < headerEnd + 4 + length) return;
      this.buf = this.buf.subarray(headerEnd + 4 + length);
      const status = Number(head.slice(9, 12));
      this.onDone(this.inFlight.shift()!.due, status);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * An open-loop, fixed-rate load (as wrk2 does): request i is due at
 * start + i / rate whatever happened to earlier ones, and its latency runs
 * from when it was due to the end of its response, so a stall shows up in
 * every request it delays (no coordinated omission). Raw keep-alive sockets
 * with prebuilt requests, so the generator costs little CPU; a request goes
 * to an idle connection (or waits, its clock running, for one). The
 * connections are opened before the clock starts.
 */
export async function pacedLoad(url: string, rate: number, seconds: number, path: (i: number) => string, connections = 32): Promise<Record<string, number>> {
  const { hostname, port, host } = new URL(url);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let done = 0;
  const waiting: number[] = [];
  let finished = (): void => undefined;
  const all = new Promise<void>((r) => (finished = r));
  const conns: PacedConnection[] = [];
  const dispatch = (c: PacedConnection): void => {
    const i = waiting.shift();
    if (i !== undefined) c.send(path(i), host, start + (i * 1000) / rate);
  };
  const onDone = (c: () => PacedConnection) => (due: number, status: number): void => {
    if (status >= 200 && status < 300) latencies.push(performance.now() - due);
    else non2xx++;
    if (++done === total) finished();
    dispatch(c());
  };
  for (let k = 0; k < connections; k++) {
    const conn: PacedConnection = new PacedConnection(hostname, Number(port), onDone(() => conn), (lost) => {
      errors += lost;
      done += lost;
      if (done >= total) finished();
    });
    conns.push(conn);
  }
  // The clock starts once every connection is open (as wrk2 connects first): 32 connects
  // racing the first requests would count the generator's start-up as server latency.
  await Promise.all(conns.map((c) => c.ready));
  const start = performance.now();
  let sent = 0;
  const pump = (): void => {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / rate <= now) waiting.push(sent++);
    for (const c of conns) if (!c.dead && c.inFlight.length === 0 && waiting.length > 0) dispatch(c);
    if (sent < total) setTimeout(pump, Math.max(0, start + (sent * 1000) / rate - performance.now()));
  };
  pump();
  // A dead server never answers: give up well after the run should have ended.
  const deadline = new Promise<void>((r) => setTimeout(r, seconds * 3000 + 10_000).unref());
  await Promise.race([all, deadline]);
  errors += total - done;
  for (const c of conns) c.close();
  latencies.sort((a, b) => a - b);
  const elapsed = (performance.now() - start) / 1000;
  return { requests: total, rps: round(total / elapsed, 0), p50Ms: round(quantile(latencies, 0.5), 2), p99Ms: round(quantile(latencies, 0.99), 2), maxMs: round(latencies[latencies.length - 1] ?? 0, 2), errors, non2xx };
}


/** What the generator's child process is sent. */
export interface PacedJob {
  url: string;
  rate: number;
  seconds: number;
  /** Request i asks for paths[i % paths.length]. */
  paths: string[];
}

/**
 * pacedLoad in a fresh child process (paced-load-child.ts), so the
 * generator's event loop stalls only for itself. Adds the generator's own
 * event-loop delay (genLoopP99Ms, genLoopMaxMs): a large value means the
 * generator, not the server, was late.
 */
export function pacedLoadInChild(job: PacedJob): Promise<Record<string, number>> {
  const child = spawn(process.execPath, processEntryArgs('paced-load-child', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    let result: Record<string, number> | undefined;
    child.on('message', (m: Record<string, number>) => (result = m));
    child.on('error', reject);
    child.on('close', (code) => (result === undefined ? reject(new Error(`load generator exited (${code}) without a result`)) : resolve(result)));
    child.send(job);
  });
}
