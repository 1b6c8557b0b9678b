import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants as zlibConstants, createGunzip, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { VitrineError, fail, throwIfAborted } from '../core/errors.js';

/**
 * Streaming text readers shared by the importers: a file (plain or gzip,
 * recognised by its magic bytes, not its name) read as decoded text chunks or
 * lines, without loading it whole. Read failures become VitrineErrors naming
 * the file (MALFORMED_INPUT for truncated gzip or binary data, FILE_NOT_FOUND
 * for a missing file), never a raw stack trace.
 */

export type TextEncoding = 'utf8' | 'latin1';

export interface TextReadOptions {
  /** u.item and ratings.dat are latin-1; everything else is UTF-8. */
  encoding?: TextEncoding;
  signal?: AbortSignal;
  /** Called after each chunk with bytes read from disk (compressed bytes for gzip) and the file size. */
  onBytes?: (done: number, total: number) => void;
}

export interface TextLine {
  text: string;
  /** 1-based physical line number. */
  line: number;
}

const gunzipAsync = promisify(gunzip);

/** Size of a file; FILE_NOT_FOUND when it does not exist. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    throw readError(path, e);
  }
}

/** True when the file starts with the gzip magic bytes 1f 8b. */
export function isGzipFile(path: string): boolean {
  const head = readHead(path, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The first `n` bytes of a file (fewer when the file is shorter). */
export function readHead(path: string, n: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch (e) {
    throw readError(path, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The first `n` bytes of a file as text, gunzipping a partial gzip stream;
 * '' when the bytes are not gzip or not decodable (for format detection).
 */
export function peekText(path: string, n = 65536): string {
  const head = readHead(path, n);
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return head.toString('utf8');
  try {
    return gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return '';
  }
}

/** The whole file as bytes, gunzipped when it is gzip; MALFORMED_INPUT when the gzip is truncated or corrupt. */
export async function readAllBytes(path: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (e) {
    throw readError(path, e);
  }
}

/** Decoded text chunks of a file; gunzips by magic bytes; rejects binary content. */
export async function* readTextChunks(path: string, opts: TextReadOptions = {}): AsyncGenerator<string> {
  const total = fileSize(path);
  const gz = isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  const stream = gz ? file.pipe(createGunzip()) : file;
  if (gz) file.on('error', (e) => stream.destroy(e));
  const decoder = new TextDecoder(opts.encoding === 'latin1' ? 'latin1' : 'utf-8');
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(opts.signal);
      const text = decoder.decode(chunk, { stream: true });
      if (first && text.length > 0) {
        assertText(path, text);
        first = false;
      }
      opts.onBytes?.(file.bytesRead, total);
      if (text.length > 0) yield text;
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  } catch (e) {
    throw readError(path, e);
  } finally {
    file.destroy();
    if (stream !== file) stream.destroy();
  }
}

/** Lines of a text file (LF or CRLF), with 1-based line numbers. */
export async function* readLines(path: string, opts: TextReadOptions = {}): AsyncGenerator<TextLine> {
  let rest = '';
  let line = 0;
  for await (const chunk of readTextChunks(path, opts)) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      yield { text: stripCr(text.slice(start, nl)), line };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield { text: stripCr(rest), line: line + 1 };
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

/**
 * Rejects data that is not text: a NUL character, or more than 10% of
 * replacement characters (bytes that are not valid UTF-8) in the first chunk.
 */
function assertText(path: string, sample: string): void {
  const head = sample.slice(0, 8192);
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) bad = head.length;
    else if (c === 0xfffd) bad++;
  }
  if (bad > head.length * 0.1) {
    fail('MALFORMED_INPUT', `${basename(path)} is not a text file (binary data)`, {
      hint: 'check the path, or pass the right --format',
      details: { path },
    });
  }
}

/** Turns an fs/zlib failure while reading `path` into a VitrineError naming the file. */
export function readError(path: string, e: unknown): VitrineError {
  if (e instanceof VitrineError) return e;
  const err = e as NodeJS.ErrnoException;
  const name = basename(path);
  if (err?.code === 'ENOENT') return new VitrineError('FILE_NOT_FOUND', `no such file: ${path}`, { cause: e });
  if (err?.code === 'EISDIR') return new VitrineError('INVALID_ARGUMENT', `${path} is a folder, not a file`, { cause: e });
  if (typeof err?.code === 'string' && err.code.startsWith('Z_')) {
    return new VitrineError('MALFORMED_INPUT', `${name}: the gzip data is truncated or corrupt (${err.message})`, {
      hint: 'download or copy the file again',
      details: { path },
      cause: e,
    });
  }
  const msg = err instanceof Error ? err.message : String(e);
  return new VitrineError('MALFORMED_INPUT', `${name}: cannot read (${msg})`, { details: { path }, cause: e });
}
