/**
 * Image formats by content, never by file name: the first bytes of a file
 * (its "magic number") say what it is. vitrine accepts JPEG, PNG and WebP;
 * other well-known formats are named in the error so the person uploading
 * knows what to convert.
 */

/** The formats vitrine decodes. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** What the first bytes say: an accepted format, a known other format (by name), or nothing known. */
export type Sniffed = { accepted: ImageFormat } | { other: string } | { unknown: true };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** Signatures of formats we refuse, so the message can name them. */
const OTHERS: readonly { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'GIF image', test: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
  { name: 'PDF document', test: (b) => startsWith(b, ascii('%PDF')) },
  { name: 'BMP image', test: (b) => startsWith(b, ascii('BM')) && b.length > 14 },
  { name: 'TIFF image', test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { name: 'HEIF/AVIF image', test: (b) => startsWith(b, ascii('ftyp'), 4) },
  { name: 'SVG/XML document', test: (b) => /^\s*<(\?xml|svg)/i.test(textHead(b)) },
  { name: 'ZIP archive', test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
  { name: 'gzip file', test: (b) => startsWith(b, [0x1f, 0x8b]) },
];

function textHead(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 64)).toString('latin1');
}

/** True when the first bytes look like plain text (printable ASCII/UTF-8 and whitespace). */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  }
  return true;
}

/** Identifies an image by its first bytes (JPEG FF D8 FF; PNG's 8-byte signature; RIFF....WEBP). */
export function sniffImageFormat(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { accepted: 'jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { accepted: 'png' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return { accepted: 'webp' };
  const other = OTHERS.find((o) => o.test(bytes));
  if (other !== undefined) return { other: other.name };
  if (looksLikeText(bytes)) return { other: 'text file' };
  return { unknown: true };
}
