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
          format: `${p.phase.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(p.total, 1), 0);
    }
    bar.setTotal(Math.max(p.total, 1));
    bar.update(Math.min(p.done, p.total));
    if (p.done >= p.total) stop();
  };
  return { report, stop };
}

function lineProgress(stream: NodeJS.WriteStream): ProgressReporter {
  let phase = '';
  let started = 0;
  let lastDone = 0;
  let lastTotal = 0;
  const flush = (): void => {
    if (phase !== '') stream.write(`${phase}: ${lastDone}/${lastTotal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    phase = '';
  };
  const report = (p: Progress): void => {
    if (p.phase !== phase) {
      flush();
      phase = p.phase;
      started = Date.now();
    }
    lastDone = p.done;
    lastTotal = p.total;
    if (p.done >= p.total) flush();
  };
  return { report, stop: flush };
}
