import { InvalidArgumentError, Option } from 'commander';
import { ensureWorkspace, resolveWorkspace, type WorkspacePaths } from '../core/workspace.js';

/** Options every command accepts. */
export interface CommonOptions {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
}

export function workspaceOption(): Option {
  return new Option('-w, --workspace <dir>', 'workspace folder (default: $VITRINE_WORKSPACE or ./vitrine-data)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print machine-readable JSON on stdout');
}

export function quietOption(): Option {
  return new Option('-q, --quiet', 'no progress bars');
}

/** The workspace of a command, created if missing. */
export function openWorkspace(opts: CommonOptions): WorkspacePaths {
  return ensureWorkspace(resolveWorkspace(opts.workspace));
}

/** commander parser for a positive integer option. */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    return n;
  };
}

/** commander parser for a non-negative integer option. */
export function nonNegativeInt(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
}

/** commander parser for a finite number option within [lo, hi]. */
export function numberIn(name: string, lo: number, hi: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < lo || n > hi) throw new InvalidArgumentError(`${name} must be a number in [${lo}, ${hi}], got "${v}"`);
    return n;
  };
}

type KeyValue = string | number | boolean;
export interface KeyValues {
  [key: string]: KeyValue | KeyValues;
}

/**
 * Parses "a=1,b=x" into { a: 1, b: 'x' } (numbers and booleans converted);
 * a dotted key sets a nested value, so a composite model's parts can be
 * configured: "cfConfig.factors=32,visualConfig.epochs=10".
 */
export function parseKeyValues(s: string): KeyValues {
  const out: KeyValues = {};
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${part}"`);
    const path = part.slice(0, eq).trim().split('.');
    if (path.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) throw new InvalidArgumentError(`bad key in "${part}"`);
    const raw = part.slice(eq + 1).trim();
    const num = Number(raw);
    let at = out;
    for (const k of path.slice(0, -1)) {
      const next = at[k] ?? {};
      if (typeof next !== 'object') throw new InvalidArgumentError(`"${path.join('.')}": ${k} is already a value`);
      at = at[k] = next;
    }
    at[path[path.length - 1]!] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(num) ? num : raw;
  }
  return out;
}

/** Prints JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
