import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { Kpis } from '../../src/lib/contract/kpis.ts';
import type { BrowserCube, FileEntry, Manifest, TableEntry } from '../../src/lib/contract/manifest.ts';
import { KPIS_FILE, MANIFEST_FILE, QUALITY_FILE, REJECTS_TABLE, sliceTable } from '../../src/lib/contract/paths.ts';
import type { Quality } from '../../src/lib/contract/quality.ts';
import type { Dataset } from '../datasets/index.ts';
import type { Db } from '../duckdb.ts';
import { builtTables, fileTables } from '../file-tables.ts';
import { modelNotes } from '../model/run-models.ts';
import { writeEndpoints, writeJson } from './api.ts';
import { writeApiTables } from './api-tables.ts';
import { arrowTable, writeArrow } from './arrow.ts';
import { cubeRefusal, histogramColumn, planCube } from './browser-cube.ts';
import { exportTable, fileEntry } from './tables.ts';

/** Every table as Parquet and CSV, the browser's Arrow files, the JSON API and the manifest, under `dir`. */
export async function exportAll(db: Db, dataset: Dataset, inputs: Manifest['inputs'], quality: Quality, kpis: Kpis, slices: string[], dir: string): Promise<Manifest> {
  const { spec } = dataset;
  const dataDir = join(dir, 'data');
  const apiDir = join(dir, 'api');
  await mkdir(dataDir, { recursive: true });
  await mkdir(apiDir, { recursive: true });

  const tables: TableEntry[] = [];
  const written = new Set(fileTables(spec).map((t) => t.name));
  const kinded = [...builtTables(spec), ...slices.map((name) => ({ name, kind: 'slice' as const })), { name: REJECTS_TABLE, kind: 'rejects' as const }];
  for (const table of kinded) tables.push(await exportTable(db, spec, table, dataDir, written.has(table.name)));

  // The browser gets the mart's analysis columns (levels, measures' inputs, time, the filter bar's columns and the
  // default filter's, which need not be levels) and every slice.
  const measureColumns = spec.measures.flatMap((m) => ('column' in m ? [m.column] : []));
  const filterColumns = [...spec.filters, ...(spec.defaultFilter ? [spec.defaultFilter.column] : [])];
  const martColumns = [...new Set([spec.timeColumn, ...spec.dimensions.flatMap((d) => d.levels.map((l) => l.column)), ...measureColumns, ...filterColumns])];
  const martRows = tables.find((t) => t.name === spec.mart)?.rows ?? 0;
  const rowLevel = martRows <= spec.browserRows;
  const forBrowser: [string, string[] | '*'][] = [...(rowLevel ? [[spec.mart, martColumns] as [string, string[]]] : []), ...spec.dimensions.map((d) => [sliceTable(d.name), '*'] as [string, '*'])];
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
  await writeJson(join(apiDir, KPIS_FILE), kpis);
  await writeJson(join(apiDir, QUALITY_FILE), quality);
  const manifest: Manifest = {
    dataset: spec.name,
    title: spec.title,
    declaration: spec,
    inputs,
    tables,
    arrow,
    ...(browserCube ? { browserCube } : {}),
    ...(browserRefusal ? { browserRefusal } : {}),
    modelNotes: await modelNotes(spec, dataset.modelsDir),
    api: [KPIS_FILE, QUALITY_FILE, ...api],
  };
  await writeJson(join(dataDir, MANIFEST_FILE), manifest);
  return manifest;
}
