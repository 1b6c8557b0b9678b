import { describe, expect, it } from 'vitest';
import { isGzipFile, peekText, readAllBytes, readLines } from './lines.js';
import { gz, junk, put, tmpDir, truncatedGz } from './importers/test-utils/fixtures.js';

async function lines(path: string, encoding?: 'latin1'): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(path, { encoding })) out.push(`${l.line}:${l.text}`);
  return out;
}

describe('readLines', () => {
  it('reads plain and gzip files the same way, by magic bytes not name', async () => {
    const dir = tmpDir();
    const plain = put(dir, 'a.txt', 'one\r\ntwo\nthree');
    const packed = put(dir, 'b.txt', gz('one\r\ntwo\nthree'));
    expect(isGzipFile(packed)).toBe(true);
    expect(isGzipFile(plain)).toBe(false);
    expect(await lines(plain)).toEqual(['1:one', '2:two', '3:three']);
    expect(await lines(packed)).toEqual(await lines(plain));
  });

  it('decodes latin-1', async () => {
    const path = put(tmpDir(), 'u.item', Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]));
    expect(await lines(path, 'latin1')).toEqual(['1:Café']);
  });

  it('rejects a truncated gzip with MALFORMED_INPUT naming the file', async () => {
    const path = put(tmpDir(), 'cut.json.gz', truncatedGz('x'.repeat(5000)));
    await expect(lines(path)).rejects.toMatchObject({ code: 'MALFORMED_INPUT', message: expect.stringContaining('cut.json.gz') });
    await expect(readAllBytes(path)).rejects.toMatchObject({ code: 'MALFORMED_INPUT' });
  });

  it('rejects binary data and reports a missing file', async () => {
    const dir = tmpDir();
    await expect(lines(put(dir, 'x.csv', junk()))).rejects.toMatchObject({ code: 'MALFORMED_INPUT' });
    await expect(lines(`${dir}/nope.csv`)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('peeks into the start of a gzip stream', () => {
    const path = put(tmpDir(), 'p.gz', gz('{"reviewerID": 1}\n'.repeat(1000)));
    expect(peekText(path, 64)).toContain('reviewerID');
  });
});
