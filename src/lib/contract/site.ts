/**
 * The `site` part of a dataset declaration: its pages, their charts and tables, and the words the site uses for it
 * (its name in the dataset switch, what one row is, labels of coded values, its currency). Everything the site knows
 * of a dataset is here or in the rest of the declaration; no page or component names a dataset or its columns.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lowercase letters, digits and -');
/** A page's folder under its dataset's root: '' for the overview, otherwise e.g. 'products/'. */
const pagePath = z.string().regex(/^([a-z0-9-]+\/)?$/, "a folder name ending in / (e.g. 'products/'), or '' for the overview");

const chart = {
  id,
  title: z.string(),
  measure: z.string(),
  /** Spans the page's width. */
  wide: z.boolean().optional(),
  /** What a click does, said under the chart to sighted and screen-reader users alike. */
  hint: z.string().optional(),
};

/** Members of a column ranked by the measure; a click filters on the member. */
const barsChart = z.object({
  kind: z.literal('bars'),
  ...chart,
  column: z.string(),
  limit: z.number().int().positive().optional(),
  /** The viewer's choices of how many to show (the limit is the default). */
  limits: z.array(z.number().int().positive()).optional(),
  /** Keep the column's natural order (e.g. Small, Medium, Large) instead of ranking. */
  order: z.array(z.string()).optional(),
  /** 'member': in the members' own order, numbers by value (bands such as 0–25k, 25–50k; ages), not ranked. */
  sort: z.literal('member').optional(),
  /** Which members a limit keeps: the top ones by this measure (e.g. the best-selling), still ordered by the chart's. */
  rankBy: z.string().optional(),
});
/** Bars at the current level of a hierarchy; a click drills down a level. */
const drillChart = z.object({ kind: z.literal('drill'), ...chart, dimension: z.string(), limit: z.number().int().positive().optional() });
/** The measure over time at a grain the viewer picks (time-dimension level columns, coarse to fine). */
const trendChart = z.object({ kind: z.literal('trend'), ...chart, grains: z.array(z.string()).min(1), grain: z.string() });
/** Year × month of year, from a column of YYYY-MM labels. */
const heatmapChart = z.object({ kind: z.literal('heatmap'), ...chart, column: z.string() });
/** A choropleth of countries or US states; a click filters on the member. */
const mapChart = z.object({
  kind: z.literal('map'),
  ...chart,
  column: z.string(),
  geography: z.enum(['world', 'us-states']).default('world'),
  /** 'sqrt' when one member dwarfs the others (California's car auctions). */
  scale: z.enum(['linear', 'sqrt']).default('linear'),
});
export const chartSpec = z.discriminatedUnion('kind', [barsChart, drillChart, trendChart, heatmapChart, mapChart]);

/** The top members of a column with several measures each, ranked by the measure the viewer picks. */
const rankedTable = z.object({
  id,
  title: z.string(),
  column: z.string(),
  /** Heading of the member column. */
  memberLabel: z.string(),
  /** Measures shown, as columns, in this order. */
  measures: z.array(z.string()).min(1),
  /** Measures a viewer may rank by (the first is the default). */
  rankBy: z.array(z.string()).min(1),
  limit: z.number().int().positive(),
  hint: z.string().optional(),
});

/** A column of a records table: the record's key, first date, row count, one of its texts or one of its sums. */
const recordColumn = z.object({
  value: z.union([z.enum(['key', 'date', 'lines']), z.string().regex(/^(text|sums)\.[a-z][a-z0-9_]*$/)]),
  label: z.string(),
  format: z.enum(['text', 'integer', 'currency']),
});
/** One row per value of a key (an order, a customer): searchable, sortable, paged, downloadable as shown. */
const recordsTable = z.object({
  title: z.string(),
  records: z.object({ key: z.string(), text: z.array(z.string()), sums: z.array(z.string()) }),
  columns: z.array(recordColumn).min(1),
  sort: z.object({ by: recordColumn.shape.value, descending: z.boolean() }),
  pageSize: z.number().int().positive().default(25),
  /** Name of the downloaded file, without extension. */
  download: z.string().regex(/^[a-z0-9-]+$/),
  searchHint: z.string().default('Search…'),
});

const dashboardPage = z.object({
  kind: z.literal('dashboard').default('dashboard'),
  path: pagePath,
  /** Its name in the navigation and the window title. */
  nav: z.string(),
  heading: z.string(),
  lead: z.string(),
  charts: z.array(chartSpec).default([]),
  ranked: rankedTable.optional(),
  records: recordsTable.optional(),
  /** Lists the member pages of this column (e.g. each product line's page). */
  members: z.object({ column: z.string(), title: z.string() }).optional(),
});

/** The price check: estimates from a model table the pipeline fits, with its held-out accuracy. */
const priceCheckPage = z.object({
  kind: z.literal('price-check'),
  path: pagePath,
  nav: z.string(),
  /** API files (declared apiTables) of the fitted model and of its evaluation. */
  model: z.string(),
  evaluation: z.string(),
});

export const pageSpec = z.union([priceCheckPage, dashboardPage]);

/** A page per member of a column (a customer, a product line): its figures, monthly history and records. */
const memberPage = z.object({
  column: z.string(),
  /** The folder of the pages, which is also the dashboard page that lists them. */
  path: pagePath,
  /** What a member is, e.g. 'Customer'. */
  label: z.string(),
  records: z.object({
    key: z.string(),
    keyLabel: z.string(),
    text: z.array(z.object({ column: z.string(), label: z.string() })).default([]),
    sums: z.array(z.object({ column: z.string(), label: z.string(), format: z.enum(['integer', 'currency']) })).default([]),
  }),
});

export const siteSpec = z.object({
  /** How the dataset switch names it. */
  label: z.string(),
  /** Its pages at the site's root rather than under /<name>/ (one dataset at most). */
  root: z.boolean().default(false),
  /** The pages' meta description. */
  description: z.string(),
  footer: z.string(),
  /** What the mart's rows are, in the plural: "All cars", "12,000 order lines". */
  rows: z.string(),
  /** ISO 4217 code of every currency measure. */
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  /** How coded values read, per column (e.g. territory NA is North America). */
  valueLabels: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Members a world map spells otherwise (USA → United States of America). */
  mapNames: z.record(z.string(), z.string()).default({}),
  tiles: z.object({
    /** The KPI tiles of every dashboard page (default: every measure). */
    measures: z.array(z.string()).optional(),
    /** Each tile's change against the same span a year earlier, and a growth tile of the primary measure. */
    compare: z.boolean().default(true),
    /** The time column of YYYY-MM months that the tiles' sparklines follow. */
    sparkline: z.string(),
  }),
  pages: z.array(pageSpec).min(1),
  memberPages: z.array(memberPage).default([]),
});

export type ChartDef = z.infer<typeof chartSpec>;
export type BarsChart = z.infer<typeof barsChart>;
export type DrillChart = z.infer<typeof drillChart>;
export type TrendChart = z.infer<typeof trendChart>;
export type HeatmapChart = z.infer<typeof heatmapChart>;
export type MapChart = z.infer<typeof mapChart>;
export type RankedTableDef = z.infer<typeof rankedTable>;
export type RecordsTableDef = z.infer<typeof recordsTable>;
export type RecordColumn = z.infer<typeof recordColumn>;
export type PageSpec = z.infer<typeof pageSpec>;
export type DashboardPage = z.infer<typeof dashboardPage>;
export type PriceCheckPage = z.infer<typeof priceCheckPage>;
export type MemberPage = z.infer<typeof memberPage>;
export type SiteSpec = z.infer<typeof siteSpec>;
export type SiteInput = z.input<typeof siteSpec>;

/** The names a site part may use, for the typed declaration (see declare.ts). */
export interface SiteNames {
  measure: string;
  column: string;
  dimension: string;
}

/** Fields that hold a declared name, and which kind of name each holds. */
type NameFields<N extends SiteNames> = {
  measure: N['measure'];
  rankBy: N['measure'];
  measures: N['measure'];
  column: N['column'];
  grain: N['column'];
  grains: N['column'];
  key: N['column'];
  text: N['column'];
  sums: N['column'];
  sparkline: N['column'];
  dimension: N['dimension'];
};
/** A schema's input type with every name field narrowed to the declared names: a misspelt one fails the type check. */
type Named<T, N extends SiteNames> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? readonly Named<E, N>[]
    : { [K in keyof T]: K extends keyof NameFields<N> ? Narrow<T[K], NameFields<N>[K], N> : Named<T[K], N> };
type Narrow<T, U, N extends SiteNames> = T extends string ? U : T extends readonly string[] ? readonly U[] : Named<T, N>;

/** The site part as a declaration writes it, checked against its own measures, columns and dimensions. */
export type TypedSiteInput<N extends SiteNames> = Named<Omit<SiteInput, 'valueLabels'>, N> & {
  valueLabels?: Partial<Record<N['column'], Record<string, string>>>;
};
