import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Kpis } from '../cube/kpis.ts';
import type { Dataset } from '../datasets/index.ts';
import type { Db } from '../duckdb.ts';
import type { Quality } from '../quality.ts';
import { writeEndpoints, writeJson } from './api.ts';
import { writeApiTables } from './api-tables.ts';
import { writeArrow } from './arrow.ts';
import { exportTable, fileEntry, type FileEntry, type TableEntry } from './tables.ts';

export interface Manifest {
  dataset: string;
  title: string;
  inputs: { file: string; sha256: string; bytes: number }[];
  tables: TableEntry[];
  arrow: Record<string, FileEntry>;
  api: string[];
}

/** Every table as Parquet and CSV, the browser's Arrow files, the JSON API and the manifest, under `dir`. */
export async function exportAll(db: Db, dataset: Dataset, inputs: string[], quality: Quality, kpis: Kpis, slices: string[], dir: string): Promise<Manifest> {
  const { spec } = dataset;
  const dataDir = join(dir, 'data');
  const apiDir = join(dir, 'api');
  await mkdir(dataDir, { recursive: true });
  await mkdir(apiDir, { recursive: true });

  const tables: TableEntry[] = [];
  for (const table of [`stg_${spec.name}`, ...spec.models, ...slices, 'rejects']) {
    tables.push(await exportTable(db, spec, table, dataDir));
  }

  // The browser gets the mart's analysis columns (levels, measures' inputs, time, the filter bar's columns and the
  // default filter's, which need not be levels) and every slice.
  const measureColumns = spec.measures.flatMap((m) => ('column' in m ? [m.column] : []));
  const filterColumns = [...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])];
  const martColumns = [...new Set([spec.timeColumn, ...spec.dimensions.flatMap((d) => d.levels.map((l) => l.column)), ...measureColumns, ...filterColumns])];
  const martRows = tables.find((t) => t.name === spec.mart)?.rows ?? 0;
  const forBrowser: [string, string[] | '*'][] = [...(martRows <= spec.browserRows ? [[spec.mart, martColumns] as [string, string[]]] : []), ...spec.dimensions.map((d) => [`cube_${d.name}`, '*'] as [string, '*'])];
  const arrow: Record<string, FileEntry> = {};
  for (const [table, columns] of forBrowser) {
    await writeArrow(db, table, columns, join(dataDir, `${table}.arrow`));
    arrow[table] = await fileEntry(dataDir, `${table}.arrow`);
  }

  const api = [...(await writeEndpoints(db, spec, apiDir)), ...(await writeApiTables(db, spec, apiDir))];
  await writeJson(join(apiDir, 'kpis.json'), kpis);
  await writeJson(join(apiDir, 'quality.json'), quality);
  const inputEntries = [];
  for (const input of inputs) {
    const entry = await fileEntry(dirname(input), basename(input));
    inputEntries.push({ file: entry.path, sha256: entry.sha256, bytes: entry.bytes });
  }
  const manifest: Manifest = { dataset: spec.name, title: spec.title, inputs: inputEntries, tables, arrow, api: ['kpis.json', 'quality.json', ...api] };
  await writeJson(join(dataDir, 'manifest.json'), manifest);
  return manifest;
}
