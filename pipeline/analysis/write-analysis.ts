import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { Db } from '../duckdb.ts';
import { contributionsFile } from './contributions.ts';
import { cohortsFile, customerSegmentsFile } from './customers.ts';
import { forecastFile } from './forecast.ts';
import { seasonalityFile } from './seasonality.ts';

/** The api files of the analyses the dataset opts in to (`analysis` in its declaration); returns the files written. */
export async function writeAnalysis(db: Db, spec: DatasetSpec, dir: string): Promise<string[]> {
  const files: [string, unknown][] = [
    ['forecast.json', await forecastFile(db, spec)],
    ['seasonality.json', await seasonalityFile(db, spec)],
    ['customer-segments.json', await customerSegmentsFile(db, spec)],
    ['cohorts.json', await cohortsFile(db, spec)],
    ['contributions.json', await contributionsFile(db, spec)],
  ];
  const written: string[] = [];
  for (const [file, content] of files) {
    if (content === undefined) continue;
    // Compact: a file lists every customer or member (thousands of sellers), and is read by programs.
    await writeFile(join(dir, file), `${JSON.stringify(content)}\n`);
    written.push(file);
  }
  return written;
}
