/**
 * The datasets the site shows, where each lives and its pages. Sales, the first, keeps the site's root (/, /products/,
 * …); every other dataset lives under its own folder (/cars/, /cars/makes/, …). Pages every dataset has (explorer,
 * data quality, downloads, about) are generated once per entry here.
 */
export interface NavEntry {
  /** Site-relative path, e.g. /cars/makes/. */
  path: string;
  label: string;
}

export interface SiteDataset {
  /** The dataset's declared name (pipeline/datasets/<name>). */
  name: string;
  /** How the nav's dataset switch names it. */
  label: string;
  /** The folder its pages live under: / or /<name>/. */
  root: string;
  description: string;
  footer: string;
  nav: NavEntry[];
  /** The KPI tiles at the top of its dashboards (default: every measure). */
  tiles?: string[];
  /** Whether tiles compare with the same span a year earlier (a change on each, and a growth tile); default yes. */
  compare?: boolean;
}

const entry = (root: string, pages: [string, string][]): NavEntry[] => pages.map(([path, label]) => ({ path: `${root}${path}`, label }));
/** The pages every dataset has, generated from its declaration (src/pages/[...dataset]/). */
const SHARED_PAGES: [string, string][] = [
  ['explorer/', 'Explorer'],
  ['quality/', 'Data quality'],
  ['downloads/', 'Downloads'],
  ['about/', 'About'],
];

export const SITE_DATASETS: SiteDataset[] = [
  {
    name: 'sales',
    label: 'Sales',
    root: '/',
    description: 'Sales reporting: KPIs, trends, breakdowns and downloads.',
    footer: 'Built by the salescube pipeline from the bundled sample data. Figures exclude Cancelled orders unless a filter says otherwise.',
    nav: entry('/', [['', 'Overview'], ['products/', 'Products'], ['customers/', 'Customers'], ['geography/', 'Geography'], ['orders/', 'Orders'], ...SHARED_PAGES]),
  },
  {
    name: 'cars',
    label: 'Used cars',
    root: '/cars/',
    description: 'Used-car auction reporting: prices against the market estimate (MMR), by make, condition, mileage, state and seller.',
    footer: 'Built by the salescube pipeline from the bundled used-car auction sample. MMR is the Manheim Market Report estimate of each car.',
    nav: entry('/cars/', [
      ['', 'Overview'],
      ['makes/', 'Makes & models'],
      ['price-drivers/', 'Price drivers'],
      ['regions/', 'Regions'],
      ['sellers/', 'Sellers'],
      ['price/', 'Price check'],
      ...SHARED_PAGES,
    ]),
    tiles: ['units', 'revenue', 'median_price', 'median_spread', 'share_above_mmr'],
    // The bundled sales run from December 2014 to July 2015: a year earlier holds a few dozen cars, too few to compare.
    compare: false,
  },
];

export function siteDataset(name: string): SiteDataset {
  const found = SITE_DATASETS.find((d) => d.name === name);
  if (!found) throw new Error(`the site has no dataset "${name}"`);
  return found;
}

/** A page of a dataset: datasetPath('cars', 'quality/') is /cars/quality/, datasetPath('sales', 'quality/') /quality/. */
export const datasetPath = (name: string, page = '') => `${siteDataset(name).root}${page.replace(/^\//, '')}`;

/** Static paths of a page every dataset has, as [...dataset] routes: no folder for the root dataset. */
export const everyDataset = () =>
  SITE_DATASETS.map((d) => ({ params: { dataset: d.root === '/' ? undefined : d.root.replace(/^\/|\/$/g, '') }, props: { dataset: d.name } }));
