/**
 * The logger shape library code accepts (pino's child loggers fit it). Library
 * code receives a logger; it never imports a global one (conventions.md #11).
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

const noop = (): void => undefined;

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Progress of a long task, reported through callbacks; the CLI draws bars from it. */
export interface Progress {
  /** Short name of the phase, e.g. "render images". */
  phase: string;
  done: number;
  total: number;
  /** What done and total count: items (default) or bytes of a file being read (shown in MB). */
  unit?: 'bytes';
}

export type ProgressFn = (p: Progress) => void;
