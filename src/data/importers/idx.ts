import { basename } from 'node:path';
import { fail } from '../../core/errors.js';

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian
 * header `0x00 0x00 <type> <ndims>` then ndims uint32 sizes, then the
 * row-major payload. Only unsigned bytes (type 0x08) are used here; magic
 * 2049 is a 1-d label vector, 2051 a stack of 2-d images.
 */

export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_MAGIC = 2051;

export interface IdxArray {
  dims: number[];
  /** Payload, a view into the file's bytes. */
  data: Uint8Array;
}

/** Parses and validates an unsigned-byte IDX file; MALFORMED_INPUT naming `file` on a wrong magic or size. */
export function parseIdx(bytes: Uint8Array, file: string, magic: number): IdxArray {
  const name = basename(file);
  const hint = 'expected an uncompressed or .gz IDX file, as published by Fashion-MNIST';
  if (bytes.length < 4) fail('MALFORMED_INPUT', `${name}: too short for an IDX header`, { hint });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    fail('MALFORMED_INPUT', `${name}: IDX magic number is ${found}, expected ${magic}`, { hint });
  }
  const ndims = magic & 0xff;
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) fail('MALFORMED_INPUT', `${name}: truncated IDX header`, { hint });
  const dims = Array.from({ length: ndims }, (_, d) => view.getUint32(4 + 4 * d, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const payload = bytes.length - headerLength;
  if (payload !== size) {
    const what = payload < size ? 'truncated' : 'longer than its header says';
    fail('MALFORMED_INPUT', `${name}: IDX data is ${what} (${payload} bytes for dims ${dims.join('x')}, expected ${size})`, { hint });
  }
  return { dims, data: bytes.subarray(headerLength) };
}
