import { basename } from 'node:path';
import { fail } from '../core/errors.js';
import { readTextChunks, type TextReadOptions } from './lines.js';

/**
 * A streaming CSV reader after RFC 4180: fields separated by a delimiter,
 * records by LF or CRLF; a field in double quotes may hold delimiters, line
 * breaks and doubled quotes (""). Text arrives in chunks; a record cut by a
 * chunk boundary waits for the next chunk, so a file is never held whole.
 * Lenient where RFC 4180 is strict: text after a closing quote is appended to
 * the field. An unterminated quote at the end of the file is an error, since
 * it would swallow every following row.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts. */
  line: number;
}

export class CsvParser {
  private buf = '';
  private line = 1;

  constructor(private readonly delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
      throw new RangeError(`bad CSV delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  /** Adds text and returns the records it completes. */
  push(text: string): CsvRecord[] {
    this.buf += text;
    return this.drain(false);
  }

  /** Ends the input and returns the last record; throws on an unterminated quote. */
  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    let pos = 0;
    while (pos < this.buf.length) {
      const rec = this.parseRecord(pos, final);
      if (rec === undefined) break;
      pos = rec.next;
      const blank = rec.fields.length === 1 && rec.fields[0] === '';
      if (!blank) out.push({ fields: rec.fields, line: this.line });
      this.line += rec.lines;
    }
    this.buf = this.buf.slice(pos);
    return out;
  }

  /** Parses one record at `pos`; undefined when it is not complete yet (and more text may come). */
  private parseRecord(pos: number, final: boolean): { fields: string[]; next: number; lines: number } | undefined {
    const s = this.buf;
    const d = this.delimiter;
    const fields: string[] = [];
    let lines = 0;
    let i = pos;
    let nl = -2;
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        const q = this.parseQuoted(i + 1, final);
        if (q === undefined) return undefined;
        field = q.value;
        lines += q.lines;
        i = q.next;
      }
      // Unquoted text (or stray text after a closing quote) up to the delimiter or the end of the line.
      if (nl < i) nl = s.indexOf('\n', i);
      const nextD = s.indexOf(d, i);
      const eol = nl < 0 ? s.length : nl;
      const stop = nextD >= 0 && nextD < eol ? nextD : eol;
      if (stop >= s.length && !final) return undefined;
      let tail = s.slice(i, stop);
      if (stop === eol && tail.endsWith('\r')) tail = tail.slice(0, -1);
      fields.push(field + tail);
      if (stop !== eol) {
        i = stop + 1;
        continue;
      }
      return { fields, next: stop + 1, lines: lines + 1 };
    }
  }

  private parseQuoted(start: number, final: boolean): { value: string; next: number; lines: number } | undefined {
    const s = this.buf;
    let value = '';
    let j = start;
    for (;;) {
      const k = s.indexOf('"', j);
      if (k < 0 || (k + 1 >= s.length && !final)) {
        if (!final) return undefined;
        fail('MALFORMED_INPUT', `unterminated quoted field starting on line ${this.line}`);
      }
      value += s.slice(j, k);
      if (s[k + 1] === '"') {
        value += '"';
        j = k + 2;
        continue;
      }
      return { value, next: k + 1, lines: countNewlines(value) };
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export interface CsvReadOptions extends TextReadOptions {
  delimiter?: string;
}

/** Records of a CSV file (plain or gzip), streamed; errors name the file. */
export async function* readCsv(path: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(opts.delimiter ?? ',');
  try {
    for await (const chunk of readTextChunks(path, opts)) yield* parser.push(chunk);
    yield* parser.end();
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'MALFORMED_INPUT' && !e.message.startsWith(basename(path))) {
      e.message = `${basename(path)}: ${e.message}`;
    }
    throw e;
  }
}

/** Column positions by name, from a header record. */
export type Header = ReadonlyMap<string, number>;

export function headerOf(fields: readonly string[]): Header {
  return new Map(fields.map((f, i) => [f.trim(), i]));
}

/** Throws MALFORMED_INPUT naming the file and the missing columns when the header lacks any of `names`. */
export function requireColumns(header: Header, names: readonly string[], file: string, what: string): void {
  const missing = names.filter((n) => !header.has(n));
  if (missing.length > 0) {
    fail('MALFORMED_INPUT', `${basename(file)} is not ${what}: missing column(s) ${missing.join(', ')}`, {
      hint: `expected columns ${names.join(', ')}; found ${[...header.keys()].slice(0, 12).join(', ')}`,
      details: { path: file },
    });
  }
}

/** The trimmed value of column `name` in `fields`; '' when the column or the value is absent. */
export function cell(fields: readonly string[], header: Header, name: string): string {
  const i = header.get(name);
  return i === undefined ? '' : (fields[i] ?? '').trim();
}
