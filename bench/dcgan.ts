import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { initEngine } from '../src/engine/engine.js';
import { Adam } from '../src/engine/optim/adam.js';
import { nativeTensorKernelsOn, setNativeTensorKernels, setTensorThreads } from '../src/engine/native-tensor/register.js';
import { buildDcgan, dcganStep, REFERENCE_DCGAN, type DcganConfig } from '../src/engine/reference/dcgan.js';
import { tf } from '../src/engine/tf.js';
import { environment } from './environment.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * `vitrine bench dcgan`: the reference DCGAN training step of
 * ../shared/design/reference-figures.md, built from vitrine's layers, timed
 * on plain wasm, with the native kernels on 1 and 2 BLAS threads, and side
 * by side in the same run against the PyTorch peer
 * (../shared/peers/torch_dcgan_step.py, Debian's python3-torch) on 1 and 2
 * threads when it is installed. Each figure: 2 warm-up steps, then the
 * median of 10 timed steps (the peer's protocol).
 */

export interface DcganBenchOptions extends BenchOptions {
  /** Folder holding torch_dcgan_step.py (default $VITRINE_PEERS, else ../shared/peers from the project root). */
  peers?: string;
  /** Python with torch (default $VITRINE_PYTHON, else Debian's /usr/bin/python3, which python3-torch installs into). */
  python?: string;
  warmup?: number;
  /** Model size; the reference by default (tests use a toy one). */
  config?: DcganConfig;
  /** Thread counts for the native runs (default [1, 2]). */
  threads?: number[];
}

interface Timing { median: number; min: number; max: number }

interface PeerResult { torch: string; threads: number; step_median_s: number; step_min_s: number; step_max_s: number }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'vitrine') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

function timeSteps(step: (i: number) => void, warmup: number, runs: number): Timing {
  for (let i = 0; i < warmup; i++) step(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    step(warmup + i);
    times.push((performance.now() - t0) / 1000);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

/** Kernel time by kernel over one step (tf.profile), biggest first; the op-level "__op" wrappers are left out as they double-count. */
async function kernelBreakdown(step: () => void): Promise<string> {
  const info = await tf.profile(step);
  const by = new Map<string, number>();
  for (const k of info.kernels) if (!k.name.endsWith('__op')) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return `${total.toFixed(0)} ms of kernels: ${top.map(([n, ms]) => `${n} ${ms.toFixed(1)} ms (${((100 * ms) / total).toFixed(0)}%)`).join(', ')}`;
}

/** Runs the PyTorch peer, or says why not. */
function runPeer(python: string, script: string, threads: number): PeerResult | string {
  const r = spawnSync(python, [script, String(threads)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `PyTorch peer failed (${threads} thread${threads === 1 ? '' : 's'}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop() ?? ''}`;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as PeerResult;
  } catch {
    return `PyTorch peer printed no JSON line (${threads} threads)`;
  }
}

function findPeer(opts: DcganBenchOptions): { python: string; script: string } | string {
  const dir = resolve(opts.peers ?? process.env.VITRINE_PEERS ?? join(projectRoot(), '..', 'shared', 'peers'));
  const script = join(dir, 'torch_dcgan_step.py');
  if (!existsSync(script)) return `PyTorch peer not run: ${script} not found (set --peers or VITRINE_PEERS)`;
  const python = opts.python ?? process.env.VITRINE_PYTHON ?? '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return `PyTorch peer not run: ${python} cannot import torch (Debian: apt install python3-torch)`;
  return { python, script };
}

export async function runDcganBench(opts: DcganBenchOptions = {}): Promise<BenchResult> {
  const report = opts.onProgress ?? (() => undefined);
  const runs = opts.runs ?? 10;
  const warmup = opts.warmup ?? 2;
  const config = opts.config ?? REFERENCE_DCGAN;
  const notes: string[] = [];
  const info = await initEngine({ onNotice: (m) => notes.push(m) });
  const nativeOk = nativeTensorKernelsOn();
  const model = buildDcgan(config, new Rng(0));
  const optimizer = new Adam({ learningRate: 2e-4, beta1: 0.5, beta2: 0.999 });
  const step = (i: number): void => { dcganStep(model, optimizer, 1000 + i); };
  const peer = findPeer(opts);
  if (typeof peer === 'string') notes.push(peer);
  const rows: BenchResult['rows'] = [];
  const torch = new Map<number, PeerResult>();
  const setups: { label: string; native: boolean; threads: number }[] = [
    { label: 'vitrine, plain wasm (no native kernels)', native: false, threads: 1 },
    ...(nativeOk ? (opts.threads ?? [1, 2]).map((t) => ({ label: `vitrine, native BLAS kernels`, native: true, threads: t })) : []),
  ];
  let profile = '';
  try {
    for (const [i, s] of setups.entries()) {
      report({ phase: `${s.label}, ${s.threads} thread(s)`, done: i, total: setups.length });
      setNativeTensorKernels(s.native);
      if (s.native) setTensorThreads(s.threads);
      const t = timeSteps(step, warmup, runs);
      if (s.native && s.threads === 1) profile = await kernelBreakdown(() => step(99));
      rows.push({ setup: s.label, threads: s.threads, stepMedianS: round(t.median), stepMinS: round(t.min), stepMaxS: round(t.max), vsPytorch: null });
      if (typeof peer !== 'string' && s.native) {
        report({ phase: `PyTorch peer, ${s.threads} thread(s)`, done: i, total: setups.length });
        const p = runPeer(peer.python, peer.script, s.threads);
        if (typeof p === 'string') notes.push(p);
        else {
          torch.set(s.threads, p);
          rows.push({ setup: `PyTorch ${p.torch} (peer)`, threads: p.threads, stepMedianS: round(p.step_median_s), stepMinS: round(p.step_min_s), stepMaxS: round(p.step_max_s), vsPytorch: 1 });
        }
      }
    }
  } finally {
    setTensorThreads(1);
    setNativeTensorKernels(nativeOk);
    optimizer.dispose();
    model.dispose();
  }
  if (typeof peer !== 'string' && !nativeOk) {
    const p = runPeer(peer.python, peer.script, 1);
    if (typeof p === 'string') notes.push(p);
    else {
      torch.set(1, p);
      rows.push({ setup: `PyTorch ${p.torch} (peer)`, threads: 1, stepMedianS: round(p.step_median_s), stepMinS: round(p.step_min_s), stepMaxS: round(p.step_max_s), vsPytorch: 1 });
    }
  }
  for (const r of rows) {
    if (String(r.setup).startsWith('PyTorch')) continue;
    const p = torch.get(r.threads as number) ?? torch.get(1);
    if (p) r.vsPytorch = round((r.stepMedianS as number) / p.step_median_s, 2);
  }
  if (profile) notes.push(`where a native 1-thread step's time goes (tf.profile): ${profile}`);
  notes.push('vsPytorch: vitrine step median / PyTorch step median at the same thread count measured in this run (plain wasm against 1 thread); the target is <= 1.5 at 1 thread');
  notes.push('threads: BLAS threads of the native convolution and matmul kernels; the element-wise kernels run on one wasm thread. PyTorch: torch.set_num_threads(n) and BLAS limited to n');
  return {
    suite: 'dcgan',
    protocol: [
      `DCGAN training step (reference-figures.md): batch ${config.batch}, ${config.image}x${config.image}x${config.channels} float32, Adam(2e-4, beta1 0.5; vitrine's fused Adam), one step over G and D`,
      `D: conv ${config.channels}-${config.width}-${2 * config.width}-${4 * config.width} k4 s2 p1, LeakyReLU 0.2, linear ${(config.image / 8) ** 2 * 4 * config.width}-1; G: linear ${config.latent}-${(config.image / 8) ** 2 * 4 * config.width}, ReLU, transposed conv ${4 * config.width}-${2 * config.width}-${config.width}-${config.channels}, ReLU, tanh`,
      `lossD = BCE-with-logits(D(real), 1) + BCE-with-logits(D(G(z)), 0); real ~ U(-1, 1), z ~ N(0, 1) drawn in the step`,
      `timing: ${warmup} warm-up steps, then the median of ${runs} timed steps; PyTorch peer the same, run from this benchmark`,
    ],
    rows,
    notes,
    environment: { ...environment(), tensorBackend: info.backend, simd: info.simd, blas: info.blas ?? 'none' },
  };
}
