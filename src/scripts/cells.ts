/** Cells in the browser: Arrow files (a page's, or a detail's members'), fetched together, read into one table. */
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
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Each file read once, however many states need it (a failed one is fetched again when asked for). */
const read = new Map<string, Promise<FactTable>>();
function readFile(file: CellsFile, timeColumn: string): Promise<FactTable> {
  let table = read.get(file.path);
  if (!table) {
    table = (async () => {
      const response = await fetch(file.path).catch(() => {
        throw new CellsError(file.path, 'the server could not be reached');
      });
      if (!response.ok) throw new CellsError(file.path, `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      return factTableFromArrow(tableFromIPC(new Uint8Array(await response.arrayBuffer())), timeColumn);
    })();
    table.catch(() => read.delete(file.path));
    read.set(file.path, table);
  }
  return table;
}

/** The files, in parallel, as one table; `progress` hears of each one read. */
export async function loadCells(files: CellsFile[], timeColumn: string, progress: (done: number, total: number) => void): Promise<FactTable> {
  let done = 0;
  const tables = await Promise.all(files.map((file) => readFile(file, timeColumn).then((table) => (progress(++done, files.length), table))));
  return concatFactTables(tables);
}
