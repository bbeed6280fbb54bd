/**
 * Build-time access to the pipelines' outputs, through the contract: each dataset's manifest (with its declaration),
 * KPIs, quality report, changes and analyses, each checked against its schema as it is read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import {
  COHORTS_FILE,
  cohortsFile,
  CONTRIBUTIONS_FILE,
  contributionsFile,
  FORECAST_FILE,
  forecastFile,
  SEASONALITY_FILE,
  seasonalityFile,
  SEGMENTS_FILE,
  segmentsFile,
  type CohortsFile,
  type ContributionsFile,
  type ForecastFile,
  type SeasonalityFile,
  type SegmentsFile,
} from '../lib/contract/analysis.ts';
import { changes, type Changes } from '../lib/contract/changes.ts';
import type { DatasetSpec } from '../lib/contract/declaration.ts';
import { kpis, type Kpis } from '../lib/contract/kpis.ts';
import { manifest, type Manifest } from '../lib/contract/manifest.ts';
import { apiPath, CHANGES_FILE, dataPath, KPIS_FILE, MANIFEST_FILE, QUALITY_FILE, routeParam } from '../lib/contract/paths.ts';
import { quality, type Quality } from '../lib/contract/quality.ts';
import type { SiteInput } from '../lib/contract/site-input.ts';

/** Every dataset of the last published site, for `astro dev` and a plain `astro build`. */
function lastPublished(): SiteInput {
  const data = 'dist';
  const folder = join(data, 'data');
  const datasets = existsSync(folder) ? readdirSync(folder).filter((name) => existsSync(join(folder, name, MANIFEST_FILE))).sort() : [];
  return { data, datasets };
}

const input: SiteInput = import.meta.env.SALESCUBE_SITE ? (JSON.parse(import.meta.env.SALESCUBE_SITE) as SiteInput) : lastPublished();

/** A file of the pipelines' outputs, by its site-relative path (contract/paths.ts). */
export const outputFile = (path: string) => resolve(input.data, path);

const parsed = new Map<string, unknown>();
function read<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  if (!parsed.has(path)) {
    const result = schema.safeParse(JSON.parse(readFileSync(outputFile(path), 'utf8')));
    if (!result.success) throw new Error(`${path} does not match the contract: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    parsed.set(path, result.data);
  }
  return parsed.get(path) as z.infer<S>;
}

export const readManifest = (dataset: string): Manifest => read(dataPath(dataset, MANIFEST_FILE), manifest);
export const readKpis = (dataset: string): Kpis => read(apiPath(dataset, KPIS_FILE), kpis);
export const readQuality = (dataset: string): Quality => read(apiPath(dataset, QUALITY_FILE), quality);
export const readChanges = (dataset: string): Changes => read(apiPath(dataset, CHANGES_FILE), changes);
export const readForecast = (dataset: string): ForecastFile => read(apiPath(dataset, FORECAST_FILE), forecastFile);
export const readSeasonality = (dataset: string): SeasonalityFile => read(apiPath(dataset, SEASONALITY_FILE), seasonalityFile);
export const readSegments = (dataset: string): SegmentsFile => read(apiPath(dataset, SEGMENTS_FILE), segmentsFile);
export const readCohorts = (dataset: string): CohortsFile => read(apiPath(dataset, COHORTS_FILE), cohortsFile);
export const readContributions = (dataset: string): ContributionsFile => read(apiPath(dataset, CONTRIBUTIONS_FILE), contributionsFile);
/** A JSON API file whose shape its reader knows (e.g. a model table). */
export const readApi = <T>(dataset: string, file: string): T => JSON.parse(readFileSync(outputFile(apiPath(dataset, file)), 'utf8')) as T;

/** The datasets the site shows, as declared, in order; at most one of them keeps the site's root. */
export function siteDatasets(): DatasetSpec[] {
  const specs = input.datasets.map((name) => readManifest(name).declaration);
  const roots = specs.filter((s) => s.site.root);
  if (roots.length > 1) throw new Error(`only one dataset can keep the site's root: ${roots.map((s) => s.name).join(', ')} all declare site.root`);
  return specs;
}

export const declarationOf = (dataset: string): DatasetSpec => readManifest(dataset).declaration;

/** Static paths of a page every dataset has, as [...dataset] routes: no folder for the dataset at the root. */
export const everyDataset = () => siteDatasets().map((spec) => ({ params: { dataset: routeParam(spec) }, props: { spec } }));
