import { describe, expect, it } from 'vitest';
import { CsvParser, readCsv } from './csv.js';
import { put, tmpDir, gz } from './importers/test-utils/fixtures.js';

function parseAll(text: string, chunk: number): { fields: string[]; line: number }[] {
  const p = new CsvParser();
  const out = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...p.push(text.slice(i, i + chunk)));
  out.push(...p.end());
  return out;
}

const SAMPLE = 'id,name,desc\r\n1,plain,"with, comma"\r\n2,"quo""te","two\nlines"\n\n3,,last';

describe('CsvParser', () => {
  it('parses quotes, doubled quotes, embedded commas and newlines, CRLF, blank lines', () => {
    const rows = parseAll(SAMPLE, 1 << 20);
    expect(rows.map((r) => r.fields)).toEqual([
      ['id', 'name', 'desc'],
      ['1', 'plain', 'with, comma'],
      ['2', 'quo"te', 'two\nlines'],
      ['3', '', 'last'],
    ]);
    // Record 3 starts on line 3 and spans 2 lines; the blank line is line 5.
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6]);
  });

  it('gives the same records whatever the chunk size', () => {
    const whole = parseAll(SAMPLE, 1 << 20);
    for (const size of [1, 2, 3, 5, 7, 11]) expect(parseAll(SAMPLE, size)).toEqual(whole);
  });

  it('keeps a trailing empty field and a quoted field that ends in CR', () => {
    expect(parseAll('a,b,\n"x\r",y\n', 4).map((r) => r.fields)).toEqual([['a', 'b', ''], ['x\r', 'y']]);
  });

  it('throws MALFORMED_INPUT on an unterminated quote at the end', () => {
    const p = new CsvParser();
    p.push('a,"never closed\nb,c\n');
    expect(() => p.end()).toThrow(expect.objectContaining({ code: 'MALFORMED_INPUT' }));
  });
});

describe('readCsv', () => {
  it('streams a gzip CSV with a BOM', async () => {
    const dir = tmpDir();
    const path = put(dir, 't.csv.gz', gz('\ufeffa,b\n1,"x,y"\n'));
    const rows = [];
    for await (const r of readCsv(path)) rows.push(r.fields);
    expect(rows).toEqual([['a', 'b'], ['1', 'x,y']]);
  });

  it('names the file in a MALFORMED_INPUT error', async () => {
    const path = put(tmpDir(), 'bad.csv', 'a,b\n1,"oops\n');
    const rows = async (): Promise<void> => {
      for await (const _ of readCsv(path)) void _;
    };
    await expect(rows()).rejects.toMatchObject({ code: 'MALFORMED_INPUT', message: expect.stringContaining('bad.csv') });
  });
});
