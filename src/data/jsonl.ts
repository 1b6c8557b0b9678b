import { basename } from 'node:path';
import { fail } from '../core/errors.js';
import { peekText, readAllBytes, readLines, type TextReadOptions } from './lines.js';

/**
 * JSON Lines (plain or gzip), also a JSON array file. A line that does not
 * parse comes back with `error` set, so the importer can drop it as a bad
 * row; a file whose first lines all fail is not JSON Lines at all and throws
 * MALFORMED_INPUT.
 */

export interface JsonRecord {
  /** The parsed value; undefined when the line is not valid JSON. */
  value: unknown;
  /** 1-based line (for an array file: 1-based element number). */
  line: number;
  error?: string;
}

/** Consecutive unparseable lines, with none parsed yet, after which the file is rejected. */
const GIVE_UP_AFTER = 20;

export async function* readJsonRecords(path: string, opts: TextReadOptions = {}): AsyncGenerator<JsonRecord> {
  if (/^\s*\[/.test(peekText(path, 4096))) {
    const whole = await parseArrayFile(path);
    if (whole !== undefined) {
      for (let k = 0; k < whole.length; k++) yield { value: whole[k], line: k + 1 };
      return;
    }
  }
  let parsed = 0;
  let failed = 0;
  for await (const { text, line } of readLines(path, opts)) {
    // A hand-made "array of lines" ([ first line, trailing commas, ]) reads line by line too.
    const t = text.trim().replace(/^\[/, '').replace(/,$/, '').replace(/\]$/, '').trim();
    if (t === '') continue;
    try {
      const value: unknown = JSON.parse(t);
      parsed++;
      yield { value, line };
    } catch (e) {
      if (parsed === 0 && ++failed >= GIVE_UP_AFTER) {
        fail('MALFORMED_INPUT', `${basename(path)} is not JSON Lines: its first ${failed} lines do not parse`, {
          details: { path },
        });
      }
      yield { value: undefined, line, error: `not valid JSON (${(e as Error).message})` };
    }
  }
}

/** The elements of a JSON array file, or undefined when the file is not one valid array. */
async function parseArrayFile(path: string): Promise<unknown[] | undefined> {
  const bytes = await readAllBytes(path);
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A plain object (not an array, not null), or undefined. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A field as trimmed text: strings as they are, finite numbers written out; '' otherwise. */
export function textField(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}
