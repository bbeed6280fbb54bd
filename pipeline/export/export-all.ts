import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kpis } from '../../src/lib/contract/kpis.ts';
import type { FileEntry, Manifest, TableEntry } from '../../src/lib/contract/manifest.ts';
import { KPIS_FILE, MANIFEST_FILE, QUALITY_FILE, REJECTS_TABLE, sliceTable } from '../../src/lib/contract/paths.ts';
import type { Quality } from '../../src/lib/contract/quality.ts';
import type { Dataset } from '../datasets/index.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { builtTables, fileTables } from '../file-tables.ts';
import { modelNotes } from '../model/run-models.ts';
import { segmentTable, SEGMENTS_TABLE } from '../../src/lib/contract/analysis.ts';
import { buildSegmentsTable, SEGMENT_COLUMNS, SEGMENTS } from '../analysis/customers.ts';
import { writeAnalysis } from '../analysis/write-analysis.ts';
import { writeEndpoints, writeJson } from './api.ts';
import { writeApiTables } from './api-tables.ts';
import { writeArrow } from './arrow.ts';
import { writeMemberRecords } from './member-records.ts';
import { writeDetails } from './detail-data.ts';
import { writePagesData } from './page-data.ts';
import { exportTable, fileEntry } from './tables.ts';

/**
 * Every table as Parquet and CSV, the browser's Arrow files, the JSON API and the manifest, under `dir`; with the
 * time the browser's files took (their share of the pipeline has a budget of its own).
 */
export async function exportAll(
  db: Db,
  dataset: Dataset,
  inputs: Manifest['inputs'],
  quality: Quality,
  kpis: Kpis,
  slices: string[],
  dir: string,
): Promise<{ manifest: Manifest; browserMs: number }> {
  const { spec } = dataset;
  const dataDir = join(dir, 'data');
  const apiDir = join(dir, 'api');
  await mkdir(dataDir, { recursive: true });
  await mkdir(apiDir, { recursive: true });

  const tables: TableEntry[] = [];
  const written = new Set(fileTables(spec).map((t) => t.name));
  const kinded = [...builtTables(spec), ...slices.map((name) => ({ name, kind: 'slice' as const })), { name: REJECTS_TABLE, kind: 'rejects' as const }];
  for (const table of kinded) tables.push(await exportTable(db, spec, table, dataDir, written.has(table.name)));
  // Every customer's segment, and each segment's customers, to download beside the models.
  if (await buildSegmentsTable(db, spec)) {
    const described = { ...spec, dictionary: { ...SEGMENT_COLUMNS, ...spec.dictionary } };
    tables.push(await exportTable(db, described, { name: SEGMENTS_TABLE, kind: 'model' }, dataDir));
    for (const { segment } of SEGMENTS) {
      await db.run(`create or replace table ${ident(segmentTable(segment))} as from ${ident(SEGMENTS_TABLE)} where segment = ${lit(segment)}`);
      tables.push(await exportTable(db, described, { name: segmentTable(segment), kind: 'model' }, dataDir));
    }
  }

  // The browser gets each page's cells, and every dimension's slice (a level a page's cells leave out is charted
  // from it, for all rows).
  const started = performance.now();
  const martRows = tables.find((t) => t.name === spec.mart)?.rows ?? 0;
  const { pages, planned } = await writePagesData(db, spec, dataDir, martRows);
  const details = await writeDetails(db, spec, dataDir, planned);
  const arrow: Record<string, FileEntry> = {};
  for (const table of spec.dimensions.map((d) => sliceTable(d.name))) {
    await writeArrow(db, table, '*', join(dataDir, `${table}.arrow`));
    arrow[table] = await fileEntry(dataDir, `${table}.arrow`);
  }

  Object.assign(arrow, await writeMemberRecords(db, spec, dataDir));
  const browserMs = performance.now() - started;

  const api = [...(await writeEndpoints(db, spec, apiDir)), ...(await writeApiTables(db, spec, apiDir)), ...(await writeAnalysis(db, spec, apiDir))];
  await writeJson(join(apiDir, KPIS_FILE), kpis);
  await writeJson(join(apiDir, QUALITY_FILE), quality);
  const manifest: Manifest = {
    dataset: spec.name,
    title: spec.title,
    declaration: spec,
    inputs,
    tables,
    arrow,
    pages,
    details,
    modelNotes: await modelNotes(spec, dataset.modelsDir),
    api: [KPIS_FILE, QUALITY_FILE, ...api],
  };
  await writeJson(join(dataDir, MANIFEST_FILE), manifest);
  return { manifest, browserMs };
}
