import { createReadStream } from 'node:fs';

/**
 * Where each record starts: its byte offset and its physical line (1-based), header included, blank lines
 * skipped. DuckDB numbers rows by record, so a quoted value spanning lines or a blank line would otherwise
 * shift every later line number. Quotes open a quoted value only at the start of a field (as DuckDB reads
 * them); '""' inside one is a quote; \n, \r\n and \r end a line.
 */
export async function recordLines(path: string, delimiter: string): Promise<{ starts: number[]; lines: number[] }> {
  const QUOTE = 0x22;
  const CR = 0x0d;
  const LF = 0x0a;
  const DELIM = delimiter.charCodeAt(0);
  const starts: number[] = [];
  const lines: number[] = [];
  let offset = 0;
  let line = 1;
  let atRecordStart = true;
  let atFieldStart = true;
  let quoted = false;
  let quoteSeen = false; // inside a quoted value, the previous byte was a quote (closing, or the first of "")
  let previousCr = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i]!;
      const crlf = previousCr && b === LF;
      previousCr = b === CR;
      if (crlf) continue; // the second half of \r\n: the line was counted at \r
      if (offset === 0 && b === 0xef) {
        // A UTF-8 BOM belongs to no field.
        if (chunk[1] === 0xbb && chunk[2] === 0xbf) {
          i += 2;
          offset += 2;
          continue;
        }
      }
      if (quoted) {
        if (b === QUOTE) {
          quoteSeen = !quoteSeen;
          continue;
        }
        if (!quoteSeen) {
          if (b === LF || b === CR) line++;
          continue;
        }
        quoted = false; // a quote followed by anything but a quote closed the value
        quoteSeen = false;
      }
      if (b === LF || b === CR) {
        line++;
        atRecordStart = true;
        atFieldStart = true;
        continue;
      }
      if (atRecordStart) {
        starts.push(offset);
        lines.push(line);
        atRecordStart = false;
      }
      if (b === DELIM) atFieldStart = true;
      else {
        if (atFieldStart && b === QUOTE) quoted = true;
        atFieldStart = false;
      }
    }
  }
  return { starts, lines };
}

/**
 * Lines in the file (a last line without a line break counts), found with native searches: cheap enough to
 * run on every file, so the byte-by-byte scan above is needed only when lines and records differ.
 */
export async function countLines(path: string): Promise<number> {
  const lines = lineCounter();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) lines.add(chunk);
  return lines.total();
}

/** countLines over chunks a caller reads anyway, in file order. */
export function lineCounter(): { add(chunk: Buffer): void; total(): number } {
  let lf = 0;
  let cr = 0;
  let last = -1;
  return {
    add(chunk) {
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lf++;
      if (lf === 0) for (let i = chunk.indexOf(0x0d); i >= 0; i = chunk.indexOf(0x0d, i + 1)) cr++;
      if (chunk.length) last = chunk[chunk.length - 1]!;
    },
    // Files that end lines with a lone CR (old Mac) have no LF at all.
    total: () => (lf || cr) + (last === -1 || last === 0x0a || last === 0x0d ? 0 : 1),
  };
}
