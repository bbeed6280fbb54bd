import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { bestLegacyEncoding, byteHistogram, detectUtf16, locate, mapBytes, scanUtf8, singleByteTable } from '../../pipeline/ingest/decode.ts';

describe('single-byte transcoding', () => {
  it.each(['cp850', 'cp1252', 'latin1'])('%s: the byte table gives what iconv decodes, for every byte in any position', (encoding) => {
    const table = singleByteTable(encoding)!;
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = Buffer.concat([every, Buffer.from('plain text, 1,2,3\n'), every.reverse(), Buffer.from([0xe9])]);
    expect(mapBytes(text, table).toString('utf8')).toBe(iconv.decode(text, encoding));
    expect(mapBytes(Buffer.from('ascii only'), table).toString('utf8')).toBe('ascii only');
  });

  it('maps bytes past ASCII wherever they fall: next to block edges, in runs, after long ASCII stretches', () => {
    const table = singleByteTable('cp850')!;
    const text = Buffer.alloc(5000, 0x61);
    for (const at of [0, 1, 511, 512, 513, 1023, 1024, 1025, 1026, 2047, 4999]) text[at] = 0x80 + (at % 128);
    expect(mapBytes(text, table).toString('utf8')).toBe(iconv.decode(text, 'cp850'));
    expect(scanUtf8(text)).toEqual({ validMultibyte: 0, firstInvalid: 0 });
    text[0] = 0x61;
    expect(scanUtf8(text).firstInvalid).toBe(1);
  });

  it('is not used for encodings where a character takes several bytes', () => {
    expect(singleByteTable('utf-16le')).toBeUndefined();
    expect(singleByteTable('shift_jis')).toBeUndefined();
  });
});

describe('bestLegacyEncoding', () => {
  it.each([
    ['Berguvsvägen, Martín, Cataluña', 'cp850'],
    ['Müller, Señor, café', 'cp1252'],
  ])('%s written in %s is read back as %s', (text, encoding) => {
    expect(bestLegacyEncoding(byteHistogram(iconv.encode(text, encoding)), ['cp850', 'cp1252'])).toBe(encoding);
  });

  it('prefers the first candidate when nothing tells them apart', () => {
    expect(bestLegacyEncoding(byteHistogram(Buffer.from('plain ascii')), ['cp850', 'cp1252'])).toBe('cp850');
  });
});

describe('scanUtf8', () => {
  it.each([
    ['ascii', Buffer.from('abc'), { validMultibyte: 0, firstInvalid: -1 }],
    ['utf-8', Buffer.from('ä€😀'), { validMultibyte: 3, firstInvalid: -1 }],
    ['cp850', Buffer.of(0x61, 0x84, 0x62), { validMultibyte: 0, firstInvalid: 1 }],
    ['mixed', Buffer.concat([Buffer.from('ä'), Buffer.of(0x84)]), { validMultibyte: 1, firstInvalid: 2 }],
    ['truncated at end', Buffer.of(0x61, 0xc3), { validMultibyte: 0, firstInvalid: 1 }],
  ])('%s', (_name, bytes, expected) => {
    expect(scanUtf8(bytes)).toEqual(expected);
  });
});

describe('detectUtf16', () => {
  it.each([
    ['LE BOM', Buffer.of(0xff, 0xfe, 0x61, 0), 'utf-16le'],
    ['BE BOM', Buffer.of(0xfe, 0xff, 0, 0x61), 'utf-16be'],
    ['LE without BOM', iconv.encode('ORDERNUMBER,SALES\n', 'utf-16le'), 'utf-16le'],
    ['BE without BOM', iconv.encode('ORDERNUMBER,SALES\n', 'utf-16be'), 'utf-16be'],
    ['UTF-8', Buffer.from('ORDERNUMBER,SALES\n'), undefined],
  ])('%s', (_name, head, expected) => {
    expect(detectUtf16(head)).toBe(expected);
  });
});

it('locate gives 1-based line and position', () => {
  expect(locate(Buffer.from('ab\ncd\nef'), 7)).toEqual({ line: 3, position: 2 });
});
