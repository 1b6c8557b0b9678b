import { basename } from 'node:path';
import { fail } from '../../core/errors.js';
import { headerOf, readCsv, requireColumns, type Header } from '../csv.js';
import { readLines, type TextReadOptions } from '../lines.js';

/**
 * Delimited-row readers over the text readers: every format here is rows of
 * fields with a line number, whether split on a plain separator (u.data,
 * ratings.dat) or parsed as RFC 4180 CSV.
 */

export interface SourceRow {
  fields: string[];
  line: number;
}

/** Rows of a file whose fields are split on `sep` (no quoting); blank lines are skipped. */
export async function* readSplitRows(path: string, sep: string | RegExp, opts: TextReadOptions = {}): AsyncGenerator<SourceRow> {
  for await (const { text, line } of readLines(path, opts)) {
    if (text.trim() === '') continue;
    yield { fields: text.split(sep), line };
  }
}

export interface CsvTable {
  header: Header;
  rows: AsyncGenerator<SourceRow>;
}

/**
 * Opens a CSV file with a header row; MALFORMED_INPUT (naming the file and
 * `what` it should be) when the header lacks a required column or the file
 * is empty.
 */
export async function openCsvTable(
  path: string,
  required: readonly string[],
  what: string,
  opts: TextReadOptions & { delimiter?: string } = {},
): Promise<CsvTable> {
  const rows = readCsv(path, opts);
  const first = await rows.next();
  if (first.done === true) {
    fail('MALFORMED_INPUT', `${basename(path)} is empty (expected ${what} with a header row)`, { details: { path } });
  }
  const header = headerOf(first.value.fields);
  requireColumns(header, required, path, what);
  return { header, rows };
}

/** "u.data line 17", the place a cleaning-report example names. */
export function at(path: string, line: number): string {
  return `${basename(path)} line ${line}`;
}
