/** A page's cells in the browser: its Arrow files, fetched together, read into one table. */
import { tableFromIPC } from 'apache-arrow';
import { concatFactTables, factTableFromArrow, type FactTable } from '../lib/fact-table.ts';

export interface CellsFile {
  /** Site-relative URL. */
  path: string;
  /** Gzipped size, as a static host serves it. */
  gzip: number;
}

/** A file that could not be fetched, said so a viewer can tell what happened. */
export class CellsError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** Every file of the page, in parallel; `progress` hears of each one read. */
export async function loadCells(files: CellsFile[], timeColumn: string, progress: (done: number, total: number) => void): Promise<FactTable> {
  let done = 0;
  const tables = await Promise.all(
    files.map(async (file) => {
      const response = await fetch(file.path).catch(() => {
        throw new CellsError(file.path, 'the server could not be reached');
      });
      if (!response.ok) throw new CellsError(file.path, `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      const table = factTableFromArrow(tableFromIPC(new Uint8Array(await response.arrayBuffer())), timeColumn);
      progress(++done, files.length);
      return table;
    }),
  );
  return concatFactTables(tables);
}
