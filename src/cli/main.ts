import { Command, CommanderError } from 'commander';
import { EXIT_STATUS, toVitrineError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';

const VERSION = '0.1.0';

/** Builds the `vitrine` program; every command file registers itself through COMMANDS. */
export function buildProgram(): Command {
  const program = new Command('vitrine')
    .description('vitrine: a recommender engine for online shops that sees and imagines')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `vitrine: ${s}` : s),
    });
  for (const register of COMMANDS) register(program);
  return program;
}

/**
 * Runs the CLI and returns the exit status: 0 on success, 2 for bad input
 * (missing file, wrong format, unknown id, malformed row, bad option), 1 for
 * faults. Errors are one line (plus a hint line), never a stack trace unless
 * VITRINE_DEBUG=1.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    const err = toVitrineError(e);
    process.stderr.write(`vitrine: error [${err.code}]: ${err.message}\n`);
    if (err.hint !== undefined) process.stderr.write(`hint: ${err.hint}\n`);
    if (process.env.VITRINE_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT_STATUS[err.code];
  }
}
