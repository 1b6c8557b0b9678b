import type { Command } from 'commander';
import { runDoctor, type DoctorReport, type MatmulFigure } from '../../engine/doctor.js';
import { jsonOption, numberIn, positiveInt, printJson, type CommonOptions } from '../common.js';

interface DoctorCliOptions extends CommonOptions {
  seconds: number;
  size: number;
  threads?: number;
  native: boolean;
}

const figure = (m: MatmulFigure): string => `${m.gflops.toFixed(1)} GFLOPS (${m.backend}; ${m.runs} runs in ${m.seconds.toFixed(1)} s)`;

function print(r: DoctorReport): void {
  const e = r.engine;
  const rows: [string, string][] = [
    ['tensor backend', `${e.backend}${e.simd ? ' (SIMD)' : ''}, ${e.threads} thread${e.threads === 1 ? '' : 's'}`],
    ['native tensor kernels', e.native ? `in use: ${e.nativeKernels.join(', ')}` : `not in use: ${e.reason ?? 'unknown'}`],
    ['BLAS', e.blas ?? (r.addon.hasBlas ? 'built, not in use' : 'not found at build time')],
    ['native CF kernels', r.cf.kernels === 'native' ? `in use, ${r.cf.threads} thread${r.cf.threads === 1 ? '' : 's'}` : `not in use: ${r.addon.reason ?? 'unknown'}`],
    ['native addon', `${r.addon.path} (${r.addon.loaded ? 'loaded' : 'not loaded'})`],
    [`matmul ${r.matmul.size}x${r.matmul.size}`, figure(r.matmul)],
  ];
  if (r.wasmMatmul) rows.push(['  on plain wasm', figure(r.wasmMatmul)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

/** `vitrine doctor`: the tensor engine's backend, native kernels, threads, and a matmul GFLOPS figure. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show the tensor backend, whether the native kernels are in use, threads, and a matmul GFLOPS figure')
    .option('--seconds <s>', 'seconds per matmul figure', numberIn('--seconds', 0.05, 60), 2)
    .option('--size <n>', 'matrix side', positiveInt('--size'), 512)
    .option('--threads <n>', 'BLAS threads (default $VITRINE_BLAS_THREADS or 1)', positiveInt('--threads'))
    .option('--no-native', 'plain wasm, native kernels off')
    .addOption(jsonOption())
    .action(async (opts: DoctorCliOptions) => {
      const report = await runDoctor({
        seconds: opts.seconds,
        size: opts.size,
        native: opts.native,
        ...(opts.threads === undefined ? {} : { threads: opts.threads }),
        onNotice: (m) => process.stderr.write(`vitrine: ${m}\n`),
      });
      if (opts.json) printJson(report);
      else print(report);
    });
}
