import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { Rng } from '../src/core/rng.js';
import { emptyReport } from '../src/data/schema.js';
import { generateWorld, worldEvents, type World } from '../src/data/world/index.js';
import { trainBundle } from '../src/evaluate/train-bundle.js';
import { saveBundle } from '../src/recommend/bundle.js';
import { createApiKey } from '../src/serve/auth/api-keys.js';
import { openStore } from '../src/store/index.js';
import { cpuMeter, stealMeter } from './cpu-steal.js';
import { pacedLoadInChild } from './paced-load.js';
import { environment } from './environment.js';
import { round } from './stats.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * `vitrine bench serve` (issue 7): the service under load on loopback, a
 * real `vitrine serve` process driven by an open-loop generator in a
 * process of its own, and by autocannon from this process.
 *  1. /api/recommendations at a fixed 500 requests/s over a shop of 10,000
 *     products (random shoppers; ALS, then the hybrid): p50/p99, errors;
 *     requests evenly spaced by an open-loop generator, and once more through
 *     autocannon's overallRate for comparison.
 *  2. the same while training jobs run back to back in the server's job process.
 *  3. event ingestion as fast as it goes: events/s, and a count check that
 *     every acknowledged (201) event is in the store afterwards.
 *  4. SIGKILL of the server in the middle of an event burst: every event
 *     acknowledged before the kill must be in the store when it is reopened.
 * Latencies count from when a request was due (no coordinated omission).
 */

export interface ServeBenchOptions extends BenchOptions {
  sizes?: { items?: number; shoppers?: number; days?: number };
  /** Seconds per load phase (default 15). */
  seconds?: number;
  /** Requests per second of the recommendation phases (default 500). */
  rate?: number;
}

type Row = Record<string, number | string | null>;

/** The median of each numeric field over the runs (per field, so p50 and p99 may come from different runs). */
function medianRow(scenario: string, runs: Row[]): Row {
  const out: Row = { scenario };
  for (const key of Object.keys(runs[0] ?? {})) {
    const vals = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    if (vals.length === runs.length && vals.length > 0) out[key] = vals[(vals.length - 1) >> 1]! / 2 + vals[vals.length >> 1]! / 2;
  }
  return out;
}


/** The package root (where bin/vitrine.js is), from here or from dist/bench. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'vitrine') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts `vitrine serve` on a free port and waits for its URL. */
function startServer(store: string, models: string, model: string, extra: string[] = []): Promise<Server> {
  const bin = join(packageRoot(), 'bin', 'vitrine.js');
  const child = spawn(process.execPath, [bin, 'serve', '--store', store, '--models', models, '--port', '0', '--rate-limit', '0', '-m', model, '--log-level', 'error', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

/** autocannon is a dev dependency: loaded when the benchmark runs, not when the CLI starts. */
async function cannon(): Promise<typeof autocannon> {
  return (await import('autocannon')).default;
}

async function run(opts: autocannon.Options): Promise<autocannon.Result> {
  const ac = await cannon();
  return new Promise((resolve, reject) => {
    ac(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Candidate cache counters at the last read, per server URL (serverSide reports the share of hits since then). */
const lastCache = new Map<string, { hits: number; misses: number }>();

/** The server's own latency of one route (fastify's reply time, last 2,048 requests), its loop delay, and its candidate cache's hit share since the last call. */
async function serverSide(url: string, adminKey: string, route: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/api/metrics/service`, { headers: { 'x-api-key': adminKey } });
  const m = (await res.json()) as {
    routes: { route: string; p50Ms: number; p99Ms: number }[];
    eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number } | null;
    candidateCache: { enabled: boolean; hits: number; misses: number };
  };
  const r = m.routes.find((x) => x.route === route);
  const loop: Record<string, number> = m.eventLoopDelay === null ? {} : { loopDelayP99Ms: m.eventLoopDelay.p99Ms, loopDelayMaxMs: m.eventLoopDelay.maxMs };
  const before = lastCache.get(url) ?? { hits: 0, misses: 0 };
  const { hits, misses } = m.candidateCache;
  lastCache.set(url, { hits, misses });
  const lookups = hits - before.hits + (misses - before.misses);
  const cache: Record<string, number> = lookups > 0 ? { cacheHitPct: round((100 * (hits - before.hits)) / lookups, 1) } : {};
  return r === undefined ? { ...loop, ...cache } : { serverP50Ms: round(r.p50Ms, 3), serverP99Ms: round(r.p99Ms, 3), ...loop, ...cache };
}

/** GET /api/recommendations for random shoppers, requests evenly spaced at `rate` per second. */
function recommendPaced(url: string, world: World, rate: number, seconds: number, model: string, seed = 11): Promise<Record<string, number>> {
  const rng = new Rng(seed);
  const paths = Array.from({ length: Math.round(rate * seconds) }, () => `/api/recommendations?shopperId=${world.shoppers[rng.int(world.shoppers.length)]!.id}&k=10&model=${model}`);
  return pacedLoadInChild({ url, rate, seconds, paths });
}

/** GET /api/recommendations for random shoppers through autocannon's overallRate (per-connection quotas per second: bursts). */
async function recommendLoad(url: string, world: World, rate: number, seconds: number, model: string): Promise<Record<string, number>> {
  const rng = new Rng(11);
  const r = await run({
    url,
    connections: 32,
    duration: seconds,
    overallRate: rate,
    requests: [{ setupRequest: (req) => ({ ...req, path: `/api/recommendations?shopperId=${world.shoppers[rng.int(world.shoppers.length)]!.id}&k=10&model=${model}` }) }],
  });
  return { requests: r.requests.total, rps: round(r.requests.average, 0), p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** Keeps one training job running until `stop` resolves; returns how many finished. */
async function trainInBackground(url: string, adminKey: string, stop: Promise<void>): Promise<{ jobs: number; failed: number }> {
  let done = false;
  void stop.then(() => (done = true));
  let jobs = 0;
  let failed = 0;
  const headers = { 'x-api-key': adminKey, 'content-type': 'application/json' };
  while (!done) {
    const res = await fetch(`${url}/api/jobs`, { method: 'POST', headers, body: JSON.stringify({ kind: 'train', params: { model: 'hybrid', name: 'bench-bg', evaluate: true, activate: false } }) });
    const job = (await res.json()) as { id: string };
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const j = (await (await fetch(`${url}/api/jobs/${job.id}`, { headers })).json()) as { status: string };
      if (j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled') {
        if (j.status === 'succeeded') jobs++;
        else failed++;
        break;
      }
    }
  }
  return { jobs, failed };
}

/** POST /api/events as fast as the server takes them; collects the keys it acknowledged. */
async function eventBurst(url: string, world: World, writerKey: string, seconds: number, tag: string, acked: Set<string>, duringRun?: (instance: autocannon.Instance) => void, batch = 0): Promise<autocannon.Result> {
  const rng = new Rng(23);
  let n = 0;
  const event = (): Record<string, string> => ({ key: `${tag}-${n++}`, shopperId: world.shoppers[rng.int(world.shoppers.length)]!.id, itemId: world.items[rng.int(world.items.length)]!.id, type: 'view' });
  const instance = (await cannon())(
    {
      url: `${url}/api/events${batch > 0 ? '/batch' : ''}`,
      connections: 16,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': writerKey },
      requests: [
        {
          setupRequest: (req) => {
            const body = batch > 0 ? { events: Array.from({ length: batch }, event) } : event();
            return { ...req, method: 'POST', body: JSON.stringify(body) };
          },
          onResponse: (status, body) => {
            if (status === 201) for (const k of (JSON.parse(body) as { keys: string[] }).keys) acked.add(k);
          },
        },
      ],
    },
    () => undefined,
  );
  duringRun?.(instance);
  return new Promise((resolve) => instance.on('done', resolve));
}

export async function runServeBench(opts: ServeBenchOptions = {}): Promise<BenchResult> {
  const size = { items: 10_000, shoppers: 5_000, days: 30, ...opts.sizes };
  const seconds = opts.seconds ?? 15;
  const rate = opts.rate ?? 500;
  const repeats = opts.runs ?? 3;
  const report = opts.onProgress ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'vitrine-bench-serve-'));
  const storePath = join(scratch, 'vitrine.db');
  const modelsDir = join(scratch, 'models');
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  let server: Server | undefined;
  try {
    report({ phase: 'build the shop', done: 0, total: 3 });
    const world = await generateWorld({ items: size.items, shoppers: size.shoppers, days: size.days, seed: 7 });
    const store = openStore(storePath);
    store.importBatch({ items: world.items, shoppers: world.shoppers, events: worldEvents(world), report: emptyReport('bench', 'world') });
    const keys = { admin: createApiKey(store, 'admin').key, writer: createApiKey(store, 'writer').key };
    report({ phase: 'build the shop', done: 1, total: 3 });
    const dataset = store.loadDataset();
    for (const kind of ['als', 'hybrid'] as const) await saveBundle(join(modelsDir, kind), (await trainBundle({ dataset, kind, evaluate: false })).bundle);
    const events0 = store.counts().events;
    store.close();
    report({ phase: 'build the shop', done: 3, total: 3 });
    notes.push(`shop: ${size.items} products, ${size.shoppers} shoppers, ${events0} events (world seed 7, ${size.days} days); models ALS (64 factors) and hybrid (ALS + content)`);

    // Shoppers are drawn at random from the 5,000, afresh in every run: a shopper seen before in the phase
    // (and whose history has not changed) gets the candidates the server kept (cacheHitPct); the "scored
    // afresh" server (--no-candidate-cache) scores the whole catalog for every request.
    let seed = 100;
    for (const cache of [false, true]) {
      server = await startServer(storePath, modelsDir, 'als', cache ? [] : ['--no-candidate-cache']);
      report({ phase: `warm up${cache ? '' : ' (no candidate cache)'}`, done: 0, total: 1 });
      await recommendPaced(server.url, world, 200, 3, 'als', seed++);
      await serverSide(server.url, keys.admin, 'GET /api/recommendations'); // resets the loop-delay histogram
      for (const model of ['als', 'hybrid']) {
        const runs: Row[] = [];
        const label = `GET /api/recommendations (${model}${cache ? '' : ', every request scored afresh'}), ${rate}/s evenly spaced`;
        for (let r = 1; r <= repeats; r++) {
          report({ phase: `recommend ${model}${cache ? '' : ' (no candidate cache)'} at ${rate}/s, run ${r}/${repeats}`, done: 0, total: seconds });
          const steal = stealMeter();
          const cpu = cpuMeter(server.child.pid);
          const paced = await recommendPaced(server.url, world, rate, seconds, model, seed++);
          const row = { scenario: `${label}, run ${r}/${repeats}`, ...paced, ...(await serverSide(server.url, keys.admin, 'GET /api/recommendations')), serverCpuMsPerReq: cpu.stop(Number(paced.requests)), cpuStealPct: steal.stop() };
          runs.push(row);
          rows.push(row);
        }
        rows.push(medianRow(`${label}: median of ${repeats} runs`, runs));
      }
      if (!cache) await stopServer(server);
    }
    if (server === undefined) throw new Error('the server did not start');
    report({ phase: `recommend als at ${rate}/s while training`, done: 0, total: seconds });
    let release = (): void => undefined;
    const stop = new Promise<void>((r) => (release = r));
    const background = trainInBackground(server.url, keys.admin, stop);
    await new Promise((r) => setTimeout(r, 1500));
    const steal = stealMeter();
    const cpu = cpuMeter(server.child.pid);
    const loaded = await recommendPaced(server.url, world, rate, seconds, 'als', seed++);
    const loadedSteal = steal.stop();
    const loadedCpu = cpu.stop(Number(loaded.requests));
    release();
    const bg = await background;
    rows.push({ scenario: `GET /api/recommendations (als), ${rate}/s evenly spaced, training jobs running`, ...loaded, ...(await serverSide(server.url, keys.admin, 'GET /api/recommendations')), serverCpuMsPerReq: loadedCpu, cpuStealPct: loadedSteal, jobsDone: bg.jobs, jobsFailed: bg.failed });
    report({ phase: `recommend als, autocannon overallRate ${rate}`, done: 0, total: seconds });
    rows.push({ scenario: `GET /api/recommendations (als), autocannon overallRate ${rate} (32 connections, per-second bursts)`, ...(await recommendLoad(server.url, world, rate, seconds, 'als')) });
    await serverSide(server.url, keys.admin, 'GET /api/recommendations'); // resets the loop-delay histogram

    report({ phase: 'event ingestion', done: 0, total: seconds });
    const acked = new Set<string>();
    const ingest = await eventBurst(server.url, world, keys.writer, Math.max(5, Math.round(seconds / 2)), 'ingest', acked);
    const ingestServer = await serverSide(server.url, keys.admin, 'POST /api/events');
    const batchAcked = new Set<string>();
    const batched = await eventBurst(server.url, world, keys.writer, Math.max(5, Math.round(seconds / 2)), 'batch', batchAcked, undefined, 100);
    await stopServer(server);
    const check = openStore(storePath, { readonly: true });
    const stored = check.countEventKeys([...acked]);
    const storedBatch = check.countEventKeys([...batchAcked]);
    const delta = check.counts().events - events0;
    check.close();
    rows.push({ scenario: 'POST /api/events (16 connections, as fast as it goes)', requests: ingest.requests.total, eventsPerSec: round(ingest['2xx'] / ingest.duration, 0), p50Ms: ingest.latency.p50, p99Ms: ingest.latency.p99, ...ingestServer, acknowledged: acked.size, storedOfAcknowledged: stored, errors: ingest.errors, non2xx: ingest.non2xx });
    rows.push({ scenario: 'POST /api/events/batch of 100 (16 connections)', requests: batched.requests.total, eventsPerSec: round(batchAcked.size / batched.duration, 0), p50Ms: batched.latency.p50, p99Ms: batched.latency.p99, acknowledged: batchAcked.size, storedOfAcknowledged: storedBatch, errors: batched.errors, non2xx: batched.non2xx });
    notes.push(`store grew by ${delta} events in the two ingestion phases; ${acked.size + batchAcked.size} were acknowledged (the rest were in flight when the load stopped: committed, their replies not counted)`);

    report({ phase: 'kill mid-burst', done: 0, total: 1 });
    server = await startServer(storePath, modelsDir, 'als');
    const beforeKill = new Set<string>();
    let killedAt = 0;
    const victim = server;
    await eventBurst(victim.url, world, keys.writer, 5, 'kill', beforeKill, () => {
      setTimeout(() => {
        killedAt = beforeKill.size;
        victim.child.kill('SIGKILL');
      }, 2000);
    });
    const reopened = openStore(storePath);
    const survived = reopened.countEventKeys([...beforeKill]);
    reopened.close();
    rows.push({ scenario: 'SIGKILL during an event burst', acknowledged: beforeKill.size, acknowledgedAtKill: killedAt, storedOfAcknowledged: survived, lost: beforeKill.size - survived });
    notes.push('targets (issue 7): /recommend p99 <= 20 ms at 500/s with 10,000 products, no errors, also while training; >= 2,000 events/s with every acknowledged event stored; no acknowledged event lost to SIGKILL');
    notes.push('the server is a separate `vitrine serve` process (1 event-loop thread; a training job runs in a child process at SCHED_IDLE priority, its CF kernels on 1 thread); the evenly spaced generator runs in a light process of its own (genLoopP99Ms/genLoopMaxMs: its own event-loop delay), autocannon and the event bursts in this process, all on the same 2 cores');
    notes.push('"evenly spaced": an open-loop generator (wrk2-style) sends request i at start + i/rate and times it from then; autocannon\'s overallRate instead lets each of its connections send its per-second quota back to back at the start of each second, so its figures measure queueing behind bursts of ~rate requests');
    notes.push('serverP50Ms/serverP99Ms: the server\'s own handler time (fastify reply time) over its last 2,048 requests of that route');
    notes.push('serverCpuMsPerReq: CPU time of the server process (all its threads; not the training job\'s process) per request of the phase, from /proc: at 500/s, 1 ms a request is half a core');
    notes.push('cacheHitPct: share of requests served from the shopper\'s kept candidates (scored once, reused until the shopper\'s history, the model or the catalog changes; the slate is then re-ranked, diversified and drawn as always); shoppers are drawn afresh in every run, so a run repeats shoppers of the earlier runs; the "scored afresh" rows run a server started with --no-candidate-cache');
    notes.push('cpuStealPct: share of the machine\'s CPU time the hypervisor took during the phase (/proc/stat steal); on a shared VM, tails with high steal come from the host');
  } finally {
    if (server !== undefined) await stopServer(server).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    suite: 'serve',
    protocol: [`the storefront service on loopback, ${seconds} s per phase; latencies in ms, client-side from when each request was due, and the server's own handler time`],
    rows,
    notes,
    environment: environment(),
  };
}
