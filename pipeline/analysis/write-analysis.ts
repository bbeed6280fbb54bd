import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { Db } from '../duckdb.ts';
import { contributionsFile } from './contributions.ts';
import { cohortsFile, customerSegmentsFile } from './customers.ts';
import { forecastFile } from './forecast.ts';
import { monthlyValues, monthSpan } from './monthly.ts';
import { seasonalityFile } from './seasonality.ts';

/** The api files of the analyses the dataset opts in to (`analysis` in its declaration); returns the files written. */
export async function writeAnalysis(db: Db, spec: DatasetSpec, dir: string): Promise<string[]> {
  const { forecast, customers, contributions } = spec.analysis;
  if (!forecast && !customers && !contributions) return [];
  // Read once for every analysis: the months and the last day under the default filter, and the primary measure per
  // month (the forecast's first series, and the seasonality's).
  const span = await monthSpan(db, spec);
  const overall = span && forecast ? ((await monthlyValues(db, spec, null)).get(null) ?? new Map<string, number>()) : undefined;
  const files: [string, unknown][] = [
    ['forecast.json', span && overall && (await forecastFile(db, spec, span, overall))],
    ['seasonality.json', span && overall && (await seasonalityFile(db, spec, span, overall))],
    ['customer-segments.json', await customerSegmentsFile(db, spec, span)],
    ['cohorts.json', await cohortsFile(db, spec)],
    ['contributions.json', span && (await contributionsFile(db, spec, span))],
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
