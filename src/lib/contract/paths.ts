/**
 * Names of every published table, file and browser column, and where each dataset's pages live: the pipeline
 * writes under these names and the site reads them, so neither spells one by hand. Pure: the browser uses it too.
 */

/** The clean, typed rows of a dataset. */
export const stagingTable = (dataset: string) => `stg_${dataset}`;
/** The rollup along one dimension's hierarchy. */
export const sliceTable = (dimension: string) => `cube_${dimension}`;
/** Two hierarchies crossed, named in declaration order. */
export const pairTable = (a: string, b: string) => `cube_${a}__${b}`;
export const REJECTS_TABLE = 'rejects';
/** A member page's records (e.g. each customer's orders), one row per member and record key. */
export const recordsTable = (column: string) => `records_${column}`;
/** In the browser's cells: how many mart rows a cell stands for. */
export const ROWS_COLUMN = '__rows';
/** In the browser's cells: the counts of a median column's values by bin. */
export const HISTOGRAM_PREFIX = '__hist_';
export const histogramColumn = (column: string) => `${HISTOGRAM_PREFIX}${column}`;
/** Per distinct-counted column the cells leave out: how many of its values have their first row in the cell. */
export const FIRST_PREFIX = '__first_';
export const firstColumn = (column: string) => `${FIRST_PREFIX}${column}`;
/** A page's browser data: data/<dataset>/pages/<page>-<n>.arrow. */
export const pageFile = (page: string, n: number) => `pages/${page.replace(/\/$/, '') || 'overview'}-${n}.arrow`;
/** The file of the n-th member of a column's detail (see DetailData), or of its lean variant. */
export const detailFile = (column: string, n: number, variant?: 'lean') => `pages/by-${column}/${variant ? `${variant}-` : ''}${n}.arrow`;
export const MANIFEST_FILE = 'manifest.json';
export const QUALITY_FILE = 'quality.json';
export const CHANGES_FILE = 'changes.json';
export const KPIS_FILE = 'kpis.json';

/** The folder of a dataset's downloads, relative to the site's root. */
export const dataFolder = (dataset: string) => `data/${dataset}`;
/** The folder of a dataset's JSON API, relative to the site's root. */
export const apiFolder = (dataset: string) => `api/${dataset}`;
/** A dataset's download: data/<dataset>/<file>. */
export const dataPath = (dataset: string, file: string) => `${dataFolder(dataset)}/${file}`;
/** A dataset's JSON API file: api/<dataset>/<file>. */
export const apiPath = (dataset: string, file: string) => `${apiFolder(dataset)}/${file}`;

/** Site-relative links that respect the deployment's base path (e.g. /salescube/ on GitHub Pages). */
export function withBase(base: string, path: string): string {
  return `${base.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

/** What the routes need of a dataset: its name and whether it keeps the site's root. */
export interface Routed {
  name: string;
  site: { root: boolean };
}

/** A page of a dataset, site-relative: /cars/quality/ for cars, /quality/ for the dataset at the root. */
export const datasetPath = (dataset: Routed, page = '') => `${dataset.site.root ? '/' : `/${dataset.name}/`}${page.replace(/^\//, '')}`;

/** The rest parameter of a page's route: undefined for the root dataset's overview, otherwise e.g. 'cars/makes'. */
export const routeParam = (dataset: Routed, page = ''): string | undefined => datasetPath(dataset, page).replace(/^\/|\/$/g, '') || undefined;
