import { fail } from '../../core/errors.js';

/**
 * The compact slate: a recommendation slate (item ids and scores) in a few
 * bytes, to fit one LoRaWAN application payload at the slowest data rate
 * (paper 000, abstract: delivery "in areas with low connectivity" over Long
 * Range radio). Format version 1, documented in docs/compact-slate.md:
 *
 *   byte 0      VVTC CCCC   V: format version (2 bits, = 1); T: truncated
 *                           (the slate was cut to fit); C: item count 0..31
 *   byte 1      catalog tag: low 8 bits of FNV-1a over the catalog ids (the
 *               device holds the catalog table; a new tag means "refetch it")
 *   n varints   each item's index in that catalog, unsigned LEB128
 *               (7 bits a byte, high bit set on all but the last byte)
 *   ⌈n/2⌉ bytes 4-bit scores, high nibble first: q = round(15 (s - min) / (max - min))
 *               over the slate (1 item or equal scores: 15); decoded as q / 15
 *
 * Pure (Uint8Array, no Node buffers), so the browser client decodes it too.
 */

export const SLATE_FORMAT_VERSION = 1;
export const MAX_SLATE_ITEMS = 31;
const HEADER_BYTES = 2;

export interface EncodeOptions {
  /** The largest payload allowed (51 for EU868 DR0, 11 for US915 DR0). */
  maxBytes: number;
  /** catalogTag(ids) of the catalog the indices refer to. */
  catalogTag: number;
}

export interface EncodedSlate {
  bytes: Uint8Array;
  /** Items that fit. */
  count: number;
  /** Fewer items than asked for fit in maxBytes. */
  truncated: boolean;
}

export interface DecodedSlate {
  version: number;
  truncated: boolean;
  catalogTag: number;
  /** Catalog indices, best first. */
  items: number[];
  /** Relative scores in [0, 1] (1 = the best of the slate), quantised to 1/15. */
  scores: number[];
}

/** Bytes of the unsigned LEB128 encoding of v. */
export function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** The 8-bit tag of a catalog: FNV-1a over its ids joined by newlines, low byte. */
export function catalogTag(ids: readonly string[]): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < ids.length; k++) {
    const s = k === 0 ? ids[k]! : `\n${ids[k]!}`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h & 0xff;
}

/** Total payload bytes of a slate of these indices. */
export function slateSize(indices: readonly number[]): number {
  let size = HEADER_BYTES + Math.ceil(indices.length / 2);
  for (const i of indices) size += varintLength(i);
  return size;
}

function quantise(scores: readonly number[], n: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; k++) {
    lo = Math.min(lo, scores[k]!);
    hi = Math.max(hi, scores[k]!);
  }
  return Array.from({ length: n }, (_, k) => (hi > lo ? Math.round((15 * (scores[k]! - lo)) / (hi - lo)) : 15));
}

/**
 * Encodes as many of the slate's items (best first) as fit in maxBytes (at
 * most 31) and says whether it had to cut. INVALID_ARGUMENT for a bad index
 * or a budget smaller than the 2-byte header.
 */
export function encodeSlate(items: readonly number[], scores: readonly number[], opts: EncodeOptions): EncodedSlate {
  if (items.length !== scores.length) fail('INVALID_ARGUMENT', `slate has ${items.length} items but ${scores.length} scores`);
  if (!Number.isInteger(opts.maxBytes) || opts.maxBytes < HEADER_BYTES) fail('INVALID_ARGUMENT', `maxBytes must be an integer >= ${HEADER_BYTES}, got ${opts.maxBytes}`);
  if (!Number.isInteger(opts.catalogTag) || opts.catalogTag < 0 || opts.catalogTag > 255) fail('INVALID_ARGUMENT', `catalogTag must be a byte, got ${opts.catalogTag}`);
  for (const i of items) if (!Number.isSafeInteger(i) || i < 0) fail('INVALID_ARGUMENT', `catalog index must be a non-negative integer, got ${i}`);
  let n = 0;
  while (n < items.length && n < MAX_SLATE_ITEMS && slateSize(items.slice(0, n + 1)) <= opts.maxBytes) n++;
  const truncated = n < items.length;
  const out = new Uint8Array(slateSize(items.slice(0, n)));
  out[0] = (SLATE_FORMAT_VERSION << 6) | (truncated ? 0x20 : 0) | n;
  out[1] = opts.catalogTag;
  let p = HEADER_BYTES;
  for (let k = 0; k < n; k++) {
    let v = items[k]!;
    while (v >= 0x80) {
      out[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[p++] = v;
  }
  const q = quantise(scores, n);
  for (let k = 0; k < n; k += 2) out[p++] = (q[k]! << 4) | (k + 1 < n ? q[k + 1]! : 0);
  return { bytes: out, count: n, truncated };
}

/** Decodes a compact slate; MALFORMED_INPUT for a wrong version, a short or overlong payload. */
export function decodeSlate(bytes: Uint8Array): DecodedSlate {
  if (bytes.length < HEADER_BYTES) fail('MALFORMED_INPUT', `compact slate too short (${bytes.length} bytes)`);
  const version = bytes[0]! >> 6;
  if (version !== SLATE_FORMAT_VERSION) fail('MALFORMED_INPUT', `compact slate version ${version}; this decoder reads version ${SLATE_FORMAT_VERSION}`);
  const truncated = (bytes[0]! & 0x20) !== 0;
  const n = bytes[0]! & 0x1f;
  const tag = bytes[1]!;
  const items: number[] = [];
  let p = HEADER_BYTES;
  for (let k = 0; k < n; k++) {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (p >= bytes.length) fail('MALFORMED_INPUT', 'compact slate ends inside an item index');
      const b = bytes[p++]!;
      v += (b & 0x7f) * scale;
      scale *= 0x80;
      if ((b & 0x80) === 0) break;
      if (scale > 2 ** 49) fail('MALFORMED_INPUT', 'compact slate item index too long');
    }
    items.push(v);
  }
  const scoreBytes = Math.ceil(n / 2);
  if (bytes.length !== p + scoreBytes) fail('MALFORMED_INPUT', `compact slate of ${n} items should be ${p + scoreBytes} bytes, got ${bytes.length}`);
  const scores = items.map((_, k) => {
    const b = bytes[p + (k >> 1)]!;
    return (k % 2 === 0 ? b >> 4 : b & 0x0f) / 15;
  });
  return { version, truncated, catalogTag: tag, items, scores };
}
