import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kpis } from '../cube/kpis.ts';
import type { Dataset } from '../datasets/index.ts';
import type { Db } from '../duckdb.ts';
import { fileTables, stagingTable } from '../file-tables.ts';
import type { Quality } from '../quality.ts';
import { writeEndpoints, writeJson } from './api.ts';
import { writeApiTables } from './api-tables.ts';
import { writeFile } from 'node:fs/promises';
import { tableToIPC } from 'apache-arrow';
import { arrowTable, writeArrow } from './arrow.ts';
import { cubeRefusal, histogramColumn, planCube } from './browser-cube.ts';
import { exportTable, fileEntry, type FileEntry, type TableEntry } from './tables.ts';

export interface Manifest {
  dataset: string;
  title: string;
  inputs: { file: string; sha256: string; bytes: number }[];
  tables: TableEntry[];
  arrow: Record<string, FileEntry>;
  /** Present when the mart was too large for rows and the browser's file holds cube cells instead (see browser-cube.ts). */
  browserCube?: BrowserCube;
  /** Why the browser got neither rows nor cells (the site then cannot be built for this input). */
  browserRefusal?: string;
  api: string[];
}

export interface BrowserCube {
  rows: number;
  cells: number;
  timeGrain: 'week' | 'month';
  medianResolution: number;
  columns: string[];
  leftOut: { column: string; members: number }[];
}

/** Every table as Parquet and CSV, the browser's Arrow files, the JSON API and the manifest, under `dir`. */
export async function exportAll(db: Db, dataset: Dataset, inputs: Manifest['inputs'], quality: Quality, kpis: Kpis, slices: string[], dir: string): Promise<Manifest> {
  const { spec } = dataset;
  const dataDir = join(dir, 'data');
  const apiDir = join(dir, 'api');
  await mkdir(dataDir, { recursive: true });
  await mkdir(apiDir, { recursive: true });

  const tables: TableEntry[] = [];
  const written = fileTables(spec);
  for (const table of [stagingTable(spec), ...spec.models, ...slices, 'rejects']) tables.push(await exportTable(db, spec, table, dataDir, written.includes(table)));

  // The browser gets the mart's analysis columns (levels, measures' inputs, time, the filter bar's columns and the
  // default filter's, which need not be levels) and every slice.
  const measureColumns = spec.measures.flatMap((m) => ('column' in m ? [m.column] : []));
  const filterColumns = [...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])];
  const martColumns = [...new Set([spec.timeColumn, ...spec.dimensions.flatMap((d) => d.levels.map((l) => l.column)), ...measureColumns, ...filterColumns])];
  const martRows = tables.find((t) => t.name === spec.mart)?.rows ?? 0;
  const rowLevel = martRows <= spec.browserRows;
  const forBrowser: [string, string[] | '*'][] = [...(rowLevel ? [[spec.mart, martColumns] as [string, string[]]] : []), ...spec.dimensions.map((d) => [`cube_${d.name}`, '*'] as [string, '*'])];
  const arrow: Record<string, FileEntry> = {};
  // Over browserRows, the same file name holds the mart's cube cells, unless distinct counts rule cells out or the
  // filter bar's columns alone make more cells than the browser takes rows: the build then stops, see cli.ts.
  let browserCube: BrowserCube | undefined;
  let browserRefusal = rowLevel ? undefined : cubeRefusal(spec);
  const plan = rowLevel || browserRefusal ? undefined : await planCube(db, spec);
  if (plan && 'refusal' in plan) browserRefusal = plan.refusal;
  else if (plan) {
    const result = await db.columns(plan.sql);
    await writeFile(join(dataDir, `${spec.mart}.arrow`), tableToIPC(arrowTable(result, Object.fromEntries(plan.medians.map((c) => [histogramColumn(c), { resolution: String(spec.cube.medianResolution) }]))), 'stream'));
    arrow[spec.mart] = await fileEntry(dataDir, `${spec.mart}.arrow`);
    const { timeGrain, medianResolution } = spec.cube;
    browserCube = { rows: martRows, cells: result.values[0]?.length ?? 0, timeGrain, medianResolution, columns: plan.columns, leftOut: plan.leftOut };
  }
  for (const [table, columns] of forBrowser) {
    await writeArrow(db, table, columns, join(dataDir, `${table}.arrow`));
    arrow[table] = await fileEntry(dataDir, `${table}.arrow`);
  }

  const api = [...(await writeEndpoints(db, spec, apiDir)), ...(await writeApiTables(db, spec, apiDir))];
  await writeJson(join(apiDir, 'kpis.json'), kpis);
  await writeJson(join(apiDir, 'quality.json'), quality);
  const manifest: Manifest = { dataset: spec.name, title: spec.title, inputs, tables, arrow, ...(browserCube ? { browserCube } : {}), ...(browserRefusal ? { browserRefusal } : {}), api: ['kpis.json', 'quality.json', ...api] };
  await writeJson(join(dataDir, 'manifest.json'), manifest);
  return manifest;
}
