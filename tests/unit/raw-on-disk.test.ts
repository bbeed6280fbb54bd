/**
 * A file too large to hold as text in memory is read through Parquet in the work folder: the rows, their line
 * numbers and the parse rejects must be exactly those of the in-memory path, including the files whose lines
 * need the slower numbering (blank lines, values spanning lines, rows DuckDB cannot split).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { openDb } from '../../pipeline/duckdb.ts';
import { createRawTables, readRawFile, unionRaw } from '../../pipeline/ingest/read-raw.ts';

const CORPUS = 'tests/corpus';
const files = ['blank-lines.csv', 'quoted-newlines-and-quotes.csv', 'reject-after-multiline.csv', 'wrong-field-counts.csv', 'quote-in-unquoted-field.csv', 'cp850.csv', 'crlf.csv', 'pipe.csv'];

async function readRaw(file: string, memoryLimit: string) {
  const { spec } = loadDataset('sales');
  const db = await openDb();
  try {
    await createRawTables(db);
    const work = mkdtempSync(join(tmpdir(), 'salescube-raw-'));
    const read = await readRawFile(db, spec, 0, join(CORPUS, file), work, memoryLimit);
    await unionRaw(db, spec, [0]);
    return {
      read,
      rows: await db.rows(`select * from raw_sales order by file_id, line`),
      rejects: await db.rows(`select * from rejects order by file_id, line`),
      parquet: readdirSync(work).some((f) => f.endsWith('.parquet')),
    };
  } finally {
    db.close();
  }
}

describe('raw text through Parquet', () => {
  it.each(files)('%s: same rows, lines and rejects as in memory', async (file) => {
    const inMemory = await readRaw(file, '100GB');
    const onDisk = await readRaw(file, '1KB');
    expect([inMemory.parquet, onDisk.parquet]).toEqual([false, true]);
    expect(onDisk.rows).toEqual(inMemory.rows);
    expect(onDisk.rejects).toEqual(inMemory.rejects);
    expect(onDisk.read).toEqual(inMemory.read);
    expect(inMemory.rows.length).toBeGreaterThan(0);
  });
});
