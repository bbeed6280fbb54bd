/** A dataset's navigation: its declared pages, then the pages every dataset has. Pure. */
import type { DatasetSpec } from './contract/declaration.ts';
import { datasetPath } from './contract/paths.ts';

export interface NavEntry {
  /** Site-relative path, e.g. /cars/makes/. */
  path: string;
  label: string;
}

/** The pages every dataset has, generated from its declaration (src/pages/[...dataset]/). */
export const SHARED_PAGES = [
  { page: 'explorer/', label: 'Explorer' },
  { page: 'quality/', label: 'Data quality' },
  { page: 'downloads/', label: 'Downloads' },
  { page: 'about/', label: 'About' },
] as const;

/** The pages of the analyses a dataset opts in to (`analysis` in its declaration; src/pages/[...dataset]/). */
export const analysisPages = (spec: Pick<DatasetSpec, 'analysis'>) => [
  ...(spec.analysis.forecast ? [{ page: 'forecast/', label: 'Forecast' }] : []),
  ...(spec.analysis.customers ? [{ page: 'segments/', label: 'Segments' }] : []),
  ...(spec.analysis.contributions ? [{ page: 'drivers/', label: 'Drivers' }] : []),
];

export const siteNav = (spec: Pick<DatasetSpec, 'name' | 'site' | 'analysis'>): NavEntry[] => [
  ...spec.site.pages.map((p) => ({ path: datasetPath(spec, p.path), label: p.nav })),
  ...[...analysisPages(spec), ...SHARED_PAGES].map((p) => ({ path: datasetPath(spec, p.page), label: p.label })),
];
