import { afterEach, beforeEach, vi } from 'vitest';
import { main } from '../main.js';

/** What the CLI printed in the current test (reset before each one). */
export interface CliOutput {
  out: string;
  err: string;
}

/**
 * The CLI run in process with its output captured, for the CLI tests:
 * registers hooks that reset the output and spy on stdout, stderr and
 * console.log around each test of the calling file. `extra` arguments are
 * appended to every run (e.g. `-w <workspace>`).
 */
export function captureCli(extra: readonly string[] = []): { io: CliOutput; run: (...args: string[]) => Promise<number> } {
  const io: CliOutput = { out: '', err: '' };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((io.out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((io.err += String(s)), true));
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (io.out += `${a.join(' ')}\n`));
  });
  afterEach(() => vi.restoreAllMocks());
  return { io, run: (...args) => main(['node', 'vitrine', ...args, ...extra]) };
}
