import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { UserError } from '../errors.ts';
import { lineCounter } from './record-lines.ts';

export interface Decoded {
  /** A UTF-8 file DuckDB can read: the input itself, or a transcoded copy. */
  path: string;
  encoding: string;
  transcoded: boolean;
  /** Lines of the text, when counted on the way (UTF-8 and single-byte files, whose line breaks are the same bytes). */
  lines?: number;
}

const CHUNK = 1 << 20;

/**
 * Makes sure DuckDB reads text right: UTF-8 (with or without BOM) is read in place; UTF-16 and single-byte
 * legacy code pages are transcoded to UTF-8. Which legacy code page cannot be read off the bytes, so the
 * dataset lists its candidates and the one that decodes the file's non-ASCII bytes into letters wins.
 */
export async function decodeToUtf8(file: string, legacyEncodings: string[], outPath: string): Promise<Decoded> {
  const head = await readHead(file, 4096);
  const utf16 = detectUtf16(head);
  if (utf16) {
    await transcode(file, utf16, outPath);
    return { path: outPath, encoding: utf16, transcoded: true };
  }
  const scan = await inspect(file);
  if (scan.utf8) return { path: file, encoding: 'utf-8', transcoded: false, lines: scan.lines };
  if (scan.multibyte) {
    const { line, position, byte } = await locateInFile(file, scan.firstInvalid);
    throw new UserError(
      `mixed text encodings: the file is mostly UTF-8, but byte 0x${byte.toString(16).toUpperCase()} at character ${position} is not`,
      { file, line },
      'save the file again as UTF-8 from the program that exported it, or fix that character',
    );
  }
  const encoding = bestLegacyEncoding(scan.histogram, legacyEncodings);
  await transcode(file, encoding, outPath);
  return { path: outPath, encoding, transcoded: true, lines: scan.lines };
}

/**
 * One streamed pass over the file: is it valid UTF-8 (checked natively, chunk by chunk), and if not, whether
 * it has well-formed multi-byte sequences anywhere (a UTF-8 file with a few bytes of another encoding), where
 * its first invalid byte is, how often each byte occurs, and how many lines it has. A chunk boundary never
 * splits a sequence: an incomplete tail is carried to the next chunk.
 */
async function inspect(file: string): Promise<{ utf8: boolean; multibyte: boolean; firstInvalid: number; histogram: Uint32Array; lines: number }> {
  const histogram = new Uint32Array(256);
  const lines = lineCounter();
  let utf8 = true;
  let multibyte = false;
  let firstInvalid = -1;
  let offset = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    lines.add(chunk as Buffer);
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = completeLength(buf);
    const part = buf.subarray(0, cut);
    if (!isAscii(part)) {
      // Valid UTF-8 with a byte past ASCII has a multi-byte sequence: that is all that must be known of such a
      // chunk, even when an invalid byte turns up only in a later one.
      if (utf8 && isUtf8(part)) multibyte = true;
      else {
        utf8 = false;
        const s = scanUtf8(part, histogram);
        if (s.validMultibyte > 0) multibyte = true;
        if (firstInvalid < 0 && s.firstInvalid >= 0) firstInvalid = offset + s.firstInvalid;
      }
    }
    offset += cut;
    carry = Buffer.from(buf.subarray(cut));
  }
  if (carry.length) {
    utf8 = false;
    if (firstInvalid < 0) firstInvalid = offset;
    for (const b of carry) histogram[b]!++;
  }
  return { utf8, multibyte, firstInvalid, histogram, lines: lines.total() };
}

/** Line, character position and value of the byte at an offset (read up to there only). */
async function locateInFile(file: string, offset: number): Promise<{ line: number; position: number; byte: number }> {
  const handle = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(offset + 1);
    await handle.read(bytes, 0, offset + 1, 0);
    return { ...locate(bytes, offset), byte: bytes[offset]! };
  } finally {
    await handle.close();
  }
}

/** UTF-16 is recognised by its BOM, or without one by the NUL byte beside every ASCII character. */
export function detectUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(head.length / 2);
  if (pairs < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.6 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul === 0) return 'utf-16be';
  return undefined;
}

/** How often each byte value occurs. */
export function byteHistogram(bytes: Uint8Array): Uint32Array {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) histogram[bytes[i]!]!++;
  return histogram;
}

/** Scores each candidate by how many non-ASCII bytes decode to letters; ties go to the first listed. */
export function bestLegacyEncoding(histogram: Uint32Array, candidates: string[]): string {
  let best = candidates[0] ?? 'cp1252';
  let bestScore = -1;
  for (const encoding of candidates) {
    let score = 0;
    for (let byte = 0x80; byte < 0x100; byte++) if (histogram[byte] && /\p{L}/u.test(iconv.decode(Buffer.of(byte), encoding))) score += histogram[byte]!;
    if (score > bestScore) [best, bestScore] = [encoding, score];
  }
  return best;
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and finds the first byte that is not part of one. When given
 * a histogram, it counts each non-ASCII byte it steps on: every such byte when the file has no valid
 * sequence, which is the only case where the histogram is used (to tell legacy code pages apart).
 */
export function scanUtf8(bytes: Uint8Array, histogram?: Uint32Array): { validMultibyte: number; firstInvalid: number } {
  let validMultibyte = 0;
  let firstInvalid = -1;
  for (let i = nextNonAscii(bytes, 0); i < bytes.length; ) {
    const b = bytes[i]!;
    if (histogram) histogram[b]!++;
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) validMultibyte++;
    else if (firstInvalid < 0) firstInvalid = i;
    i = nextNonAscii(bytes, ok ? i + length : i + 1);
  }
  return { validMultibyte, firstInvalid };
}

// Non-ASCII bytes are rare in text files (a few hundred per megabyte): blocks of bytes are tested natively and
// skipped whole when all ASCII, and only the few others are visited byte by byte in JavaScript. At 10M rows of the
// sales file (1.9 GB), 2.3 s of searching with a regular expression over the bytes read as Latin-1 strings (and
// 1.6 s of making the strings) went to this.
const BLOCK = 512;
function nextNonAscii(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; ) {
    const end = Math.min(bytes.length, i - (i % BLOCK) + BLOCK);
    if (i % BLOCK === 0 && isAscii(bytes.subarray(i, end))) {
      i = end;
      continue;
    }
    for (; i < end; i++) if (bytes[i]! >= 0x80) return i;
  }
  return bytes.length;
}

/** 1-based line and character position of a byte offset. */
export function locate(bytes: Uint8Array, offset: number): { line: number; position: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) [line, lineStart] = [line + 1, i + 1];
  return { line, position: offset - lineStart + 1 };
}

/** Length of the prefix that does not end inside a multi-byte sequence (looks back at most 3 bytes). */
function completeLength(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

async function readHead(file: string, size: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function transcode(file: string, encoding: string, outPath: string): Promise<void> {
  if (!iconv.encodingExists(encoding)) throw new UserError(`unknown text encoding "${encoding}"`, { file }, 'list an encoding iconv-lite knows, e.g. cp850 or cp1252');
  const table = singleByteTable(encoding);
  const decoder = table ? singleByteDecoder(table) : iconv.decodeStream(encoding);
  await pipeline(createReadStream(file, { highWaterMark: CHUNK }), decoder, createWriteStream(outPath, { encoding: 'utf8' }));
}

/**
 * The UTF-8 bytes of each byte of a single-byte code page (cp850, cp1252, …), or undefined for encodings
 * where a character takes more than one byte. A byte the code page leaves undefined maps to U+FFFD.
 */
export function singleByteTable(encoding: string): Buffer[] | undefined {
  const chars = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), encoding);
  if ([...chars].length !== 256) return undefined;
  return [...chars].map((c) => Buffer.from(c, 'utf8'));
}

/**
 * Transcodes chunk by chunk with the byte table: an all-ASCII chunk (most of a typical file) passes
 * through untouched, and no JavaScript string is built for the rest. Several times faster than decoding
 * to strings and encoding again.
 */
function singleByteDecoder(table: Buffer[]): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, isAscii(chunk) ? chunk : mapBytes(chunk, table));
    },
  });
}

export function mapBytes(chunk: Uint8Array, table: Buffer[]): Buffer {
  // The positions to map first, then one buffer of the exact size: not a list of parts to concatenate.
  const at: number[] = [];
  let size = chunk.length;
  for (let i = nextNonAscii(chunk, 0); i < chunk.length; i = nextNonAscii(chunk, i + 1)) {
    at.push(i);
    size += table[chunk[i]!]!.length - 1;
  }
  const out = Buffer.allocUnsafe(size);
  let from = 0;
  let to = 0;
  for (const i of at) {
    out.set(chunk.subarray(from, i), to);
    to += i - from;
    const bytes = table[chunk[i]!]!;
    out.set(bytes, to);
    to += bytes.length;
    from = i + 1;
  }
  out.set(chunk.subarray(from), to);
  return out;
}
