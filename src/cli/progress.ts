import cliProgress from 'cli-progress';
import type { Progress, ProgressFn } from '../core/logger.js';

/**
 * Draws progress bars with an ETA on stderr for the library's ProgressFn
 * callbacks. One bar per phase; a new phase stops the previous bar. When
 * stderr is not a terminal (CI, pipes) it prints one line per phase at the
 * end instead, so logs stay readable.
 */
export interface ProgressReporter {
  report: ProgressFn;
  stop(): void;
}

export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { report: () => undefined, stop: () => undefined };
  return stream.isTTY ? ttyProgress(stream) : lineProgress(stream);
}

function ttyProgress(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let phase = '';
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const report = (p: Progress): void => {
    if (p.phase !== phase || bar === undefined) {
      stop();
      phase = p.phase;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${p.phase.padEnd(24)} [{bar}] {percentage}% | {amount} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(p.total, 1), 0, { amount: progressAmount({ ...p, done: 0 }) });
    }
    bar.setTotal(Math.max(p.total, 1));
    bar.update(Math.min(p.done, p.total), { amount: progressAmount(p) });
    if (p.done >= p.total) stop();
  };
  return { report, stop };
}

/** "done/total", in MB when the phase counts bytes. */
export function progressAmount(p: Progress): string {
  if (p.unit !== 'bytes') return `${p.done}/${p.total}`;
  const mb = (n: number): string => (n / 1e6).toFixed(n >= 1e7 ? 0 : 1);
  return `${mb(p.done)}/${mb(p.total)} MB`;
}

function lineProgress(stream: NodeJS.WriteStream): ProgressReporter {
  let phase = '';
  let started = 0;
  let last: Progress | undefined;
  const flush = (): void => {
    if (phase !== '' && last !== undefined) stream.write(`${phase}: ${progressAmount(last)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    phase = '';
  };
  const report = (p: Progress): void => {
    if (p.phase !== phase) {
      flush();
      phase = p.phase;
      started = Date.now();
    }
    last = p;
    if (p.done >= p.total) flush();
  };
  return { report, stop: flush };
}
