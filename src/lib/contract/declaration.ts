/**
 * The declaration of a dataset: the one source of truth from which the pipeline derives its SQL and the site
 * derives its pages. Browser code imports only the types (`import type`), so zod stays out of client bundles.
 */
import { z } from 'zod';
import { siteSpec, type ChartDef, type SiteSpec } from './site.ts';

const identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use snake_case: lowercase letters, digits and _');

export const columnSpec = z.object({
  /** Clean column name in staging and downstream models. */
  name: identifier,
  /** Header of the column in the raw file (matched case-insensitively, ignoring spaces and _). */
  source: z.string(),
  type: z.enum(['string', 'integer', 'decimal', 'date']),
  /** Human description, shown in the data dictionary. */
  description: z.string(),
  required: z.boolean().default(false),
  /** A regular expression (RE2, as in DuckDB) the whole trimmed text must match, e.g. '^[A-Za-z0-9]{17}$'. */
  pattern: z.string().optional(),
  /** Said in the reject when the pattern does not match, e.g. 'not a 17-character VIN'. */
  patternReason: z.string().optional(),
  /** When set, any other value is rejected. */
  accepted: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Longest accepted text, in characters. */
  maxLength: z.number().int().positive().default(500),
  /** Digits after the decimal point kept for decimals (exact arithmetic to the cent). */
  scale: z.number().int().min(0).max(6).default(2),
});

export const rowRuleSpec = z.object({
  name: identifier,
  /** SQL boolean over clean column names; the row is rejected when it is false. */
  check: z.string(),
  /** The column named in the reject. */
  column: identifier,
  reason: z.string(),
});

export const filterSpec = z.object({
  column: identifier,
  exclude: z.array(z.string()),
  label: z.string(),
});

export const levelSpec = z.object({
  name: identifier,
  label: z.string(),
  /** Column of the fact table that holds this level's member. */
  column: identifier,
});

export const dimensionSpec = z.object({
  name: identifier,
  label: z.string(),
  /** Coarse to fine; a one-level hierarchy is a flat dimension. */
  levels: z.array(levelSpec).min(1),
});

/** How a measure reads: percent is a share (0.451 is 45.1%), kept to four decimals rather than to the cent. */
const measureFormat = z.enum(['currency', 'integer', 'number', 'percent']);

const measure = {
  name: identifier,
  label: z.string(),
  format: measureFormat,
  /** ISO 4217 code of a currency measure; the site part's currency when not given. */
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
};
export const measureSpec = z.discriminatedUnion('agg', [
  z.object({ ...measure, agg: z.literal('sum'), column: identifier }),
  z.object({ ...measure, agg: z.literal('count') }),
  z.object({ ...measure, agg: z.literal('countDistinct'), column: identifier }),
  // The middle value of the group's non-missing values; with an even count, the average of the two middle ones.
  z.object({ ...measure, agg: z.literal('median'), column: identifier }),
  z.object({ ...measure, agg: z.literal('ratio'), numerator: identifier, denominator: identifier }),
]);

/**
 * The layers of the star schema, in build order: reference tables (e.g. US states), dimensions, facts, the mart
 * (the fact joined with its dimensions) and models built from it (e.g. a fitted price model). A table's layer is
 * what the downloads list it as.
 */
export const MODEL_LAYERS = ['reference', 'dimension', 'fact', 'mart', 'model'] as const;
export type ModelLayer = (typeof MODEL_LAYERS)[number];

export const endpointSpec = z.object({
  /** File name under api/<dataset>/. */
  file: z.string().regex(/^[a-z0-9-]+\.json$/),
  /** Mart columns to group by (hierarchy levels, coarse to fine). */
  groupBy: z.array(identifier).min(1),
  orderBy: z.enum(['measure', 'member']).default('measure'),
  limit: z.number().int().positive().optional(),
});

/**
 * One input of a dataset: a file, a folder of batch files, a glob (their files in order of their paths) or an
 * HTTP(S) URL, as a path; or the same with its format given (a file whose extension does not say it) and, for JSON
 * whose records are one level down (`{"orders": [...]}`), the key that holds them; or a PostgreSQL query.
 */
export const inputSpec = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1),
    format: z.enum(['csv', 'parquet', 'json']).optional(),
    records: z.string().min(1).optional(),
  }),
  /** A PostgreSQL query's rows; the connection URL is read from the environment variable named, never declared. */
  z.strictObject({
    postgres: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable that holds the connection URL (e.g. SALESCUBE_PG_URL), not the URL'),
    query: z.string().min(1),
    /**
     * A column of the query whose greatest value moves whenever a row changes (e.g. updated_at): with the row count,
     * the source's fingerprint, so that an unchanged table is not exported again.
     */
    changeColumn: identifier.optional(),
  }),
]);

export const datasetSpec = z.object({
  name: identifier,
  title: z.string(),
  description: z.string(),
  provenance: z.string(),
  /** Default inputs (inputSpec), relative to the repository root. */
  inputs: z.array(inputSpec).min(1),
  /** Used when a file is neither valid UTF-8 nor UTF-16 (single-byte code pages are not self-describing). */
  legacyEncodings: z.array(z.string()).default(['cp1252']),
  columns: z.array(columnSpec).min(1),
  /** Columns that identify a row; a second row with the same key but other values is rejected. */
  key: z.array(identifier).min(1),
  rules: z.array(rowRuleSpec).default([]),
  /**
   * Conformed values: per string column, spellings that mean another member (`landrover` → `land rover`), matched
   * ignoring case and surrounding spaces. Applied when the rows are typed, so keys, duplicates and every model see one
   * member; the quality report lists each alias with the rows it moved.
   */
  aliases: z.record(identifier, z.record(z.string().min(1), z.string().min(1))).default({}),
  /** Cell values (after trimming) that mean "missing", like an empty cell (e.g. '—'): they load as NULL. */
  missing: z.array(z.string()).default([]),
  /** Used only when the data cannot tell month-first from day-first dates. */
  dateOrder: z.enum(['MDY', 'DMY']).optional(),
  /** Integer columns that hold the year and month of the main date; they settle an ambiguous date order. */
  dateHints: z.object({ date: identifier, year: identifier, month: identifier }).optional(),
  /**
   * Star schema models by layer; each is models/<name>.sql beside the declaration, built layer by layer in
   * MODEL_LAYERS order and in the listed order within a layer.
   */
  models: z.partialRecord(z.enum(MODEL_LAYERS), z.array(identifier).min(1)),
  /** The fact joined with its dimensions: the table KPIs, slices and the browser read. */
  mart: identifier,
  /** The mart's date column that drives the time dimension and growth. */
  timeColumn: identifier,
  dimensions: z.array(dimensionSpec).min(1),
  /** The dimension whose members are periods (charted as lines, sorted by time). */
  timeDimension: identifier.optional(),
  /**
   * Pairs of dimensions materialised as crossed slices (cube_<a>__<b>, downloads). Every pair by default; a
   * dataset with many dimensions lists the pairs worth having, as each costs a pass over the mart.
   */
  pairs: z.array(z.tuple([identifier, identifier])).optional(),
  measures: z.array(measureSpec).min(1),
  /** Applied to KPIs and slices unless a user lifts it (e.g. revenue excludes Cancelled orders). */
  defaultFilter: filterSpec.optional(),
  /** Mart columns offered in the filter bar of every dashboard page, in this order. */
  filters: z.array(identifier).default([]),
  /** Measure used to rank members (top customers, busiest countries). */
  primaryMeasure: identifier,
  endpoints: z.array(endpointSpec).default([]),
  /** Small model tables written whole to api/<dataset>/<file> (columns + rows), e.g. a fitted model the browser applies. */
  apiTables: z.array(z.object({ table: identifier, file: z.string().regex(/^[a-z0-9-]+\.json$/) })).default([]),
  /**
   * The browser's cells when the rows are too many to keep every figure exact at a day's grain (see
   * pipeline/export/page-data.ts): dates to the start of a `timeGrain` period (within its month), and medians from
   * `medianBins` quantile bins of each column's values (shown as ≈, with the bin that holds the median).
   */
  cube: z
    .object({
      timeGrain: z.enum(['week', 'month']).default('month'),
      medianBins: z.number().int().min(4).max(1024).default(64),
    })
    .default({ timeGrain: 'month', medianBins: 64 }),
  /**
   * The analyses a dataset opts in to, each written to api/<dataset>/ (pipeline/analysis/):
   * - `forecast`: forecast.json, the primary measure's next `horizon` months overall and per member of each column in
   *   `by`, and seasonality.json (month-of-year index, growth, the measure per day);
   * - `customers`: customer-segments.json (RFM) and cohorts.json, from the column naming a customer and the one
   *   naming an order;
   * - `contributions`: contributions.json, each additive measure's change between two periods by member of each
   *   column in `by`.
   */
  analysis: z
    .object({
      forecast: z.object({ by: z.array(identifier).default([]), horizon: z.number().int().min(1).max(24).default(6) }).optional(),
      customers: z.object({ customer: identifier, order: identifier }).optional(),
      contributions: z.object({ by: z.array(identifier).min(1) }).optional(),
    })
    .default({}),
  /** Descriptions of columns the models derive (declared columns describe themselves), for the data dictionary. */
  dictionary: z.record(z.string(), z.string()).default({}),
  /** Over these, `check` and the build fail. */
  thresholds: z
    .object({ maxRejected: z.number().int().min(0).optional(), maxRejectedPct: z.number().min(0).max(100).optional() })
    .default({ maxRejectedPct: 5 }),
  /** Its pages and how the site speaks of it. */
  site: siteSpec,
})
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!(spec.models.mart ?? []).includes(spec.mart)) issue(['mart'], `the mart "${spec.mart}" must be listed under models.mart`);
    for (const column of Object.keys(spec.aliases)) {
      const declared = spec.columns.find((c) => c.name === column);
      if (declared?.type !== 'string') issue(['aliases', column], `aliases apply to a declared string column, and "${column}" is ${declared ? `${declared.type === 'integer' ? 'an' : 'a'} ${declared.type}` : 'not declared'}`);
    }
    const { forecast, customers, contributions } = spec.analysis;
    const analysed = [
      ...(forecast?.by ?? []).map((column, i) => ({ path: ['forecast', 'by', i], column })),
      ...(customers ? [{ path: ['customers', 'customer'], column: customers.customer }, { path: ['customers', 'order'], column: customers.order }] : []),
      ...(contributions?.by ?? []).map((column, i) => ({ path: ['contributions', 'by', i], column })),
    ];
    const columns = martColumns(spec);
    for (const { path, column } of analysed) if (!columns.includes(column)) issue(['analysis', ...path], `no mart column "${column}" is declared (columns: ${columns.join(', ')})`);
    for (const [path, kind, name] of siteNames(spec.site)) {
      const known = kind === 'measure' ? spec.measures.map((m) => m.name) : kind === 'dimension' ? spec.dimensions.map((d) => d.name) : martColumns(spec);
      if (!known.includes(name)) issue(['site', ...path], `no ${kind} "${name}" is declared (${kind}s: ${known.join(', ')})`);
    }
  })
  // Every currency measure carries its currency, so a figure formats the same wherever it is shown.
  .transform((spec) => ({ ...spec, measures: spec.measures.map((m) => (m.format === 'currency' ? { ...m, currency: m.currency ?? spec.site.currency } : m)) }));

/** Mart columns the declaration knows of: every hierarchy level's and every measure's. */
export function martColumns(spec: { dimensions: DimensionSpec[]; measures: MeasureSpec[] }): string[] {
  return [...new Set([...spec.dimensions.flatMap((d) => d.levels.map((l) => l.column)), ...spec.measures.flatMap((m) => ('column' in m ? [m.column] : []))])];
}

/** Every name the site part uses, with where and of what kind: checked against the declaration when it is parsed. */
function siteNames(site: SiteSpec): [(string | number)[], 'measure' | 'column' | 'dimension', string][] {
  const names: [(string | number)[], 'measure' | 'column' | 'dimension', string][] = [];
  const chart = (path: (string | number)[], c: ChartDef) => {
    names.push([[...path, 'measure'], 'measure', c.measure]);
    if (c.kind === 'drill') names.push([[...path, 'dimension'], 'dimension', c.dimension]);
    else if (c.kind === 'trend') c.grains.forEach((g, i) => names.push([[...path, 'grains', i], 'column', g]));
    else names.push([[...path, 'column'], 'column', c.column]);
    if (c.kind === 'bars' && c.rankBy) names.push([[...path, 'rankBy'], 'measure', c.rankBy]);
  };
  (site.tiles.measures ?? []).forEach((m, i) => names.push([['tiles', 'measures', i], 'measure', m]));
  names.push([['tiles', 'sparkline'], 'column', site.tiles.sparkline]);
  site.pages.forEach((page, p) => {
    if (page.kind !== 'dashboard') return;
    page.charts.forEach((c, i) => chart(['pages', p, 'charts', i], c));
    if (page.ranked) {
      names.push([['pages', p, 'ranked', 'column'], 'column', page.ranked.column]);
      [...page.ranked.measures, ...page.ranked.rankBy].forEach((m) => names.push([['pages', p, 'ranked'], 'measure', m]));
    }
    if (page.records) {
      const { key, text, sums } = page.records.records;
      [key, ...text, ...sums].forEach((c) => names.push([['pages', p, 'records', 'records'], 'column', c]));
    }
    if (page.members) names.push([['pages', p, 'members', 'column'], 'column', page.members.column]);
  });
  site.memberPages.forEach((m, i) => {
    for (const column of [m.column, m.records.key, ...m.records.text.map((t) => t.column), ...m.records.sums.map((s) => s.column)]) names.push([['memberPages', i], 'column', column]);
  });
  return names;
}

export type ColumnSpec = z.infer<typeof columnSpec>;
export type RowRuleSpec = z.infer<typeof rowRuleSpec>;
export type FilterSpec = z.infer<typeof filterSpec>;
export type DimensionSpec = z.infer<typeof dimensionSpec>;
export type LevelSpec = z.infer<typeof levelSpec>;
export type MeasureSpec = z.infer<typeof measureSpec>;
export type EndpointSpec = z.infer<typeof endpointSpec>;
export type InputSpec = z.infer<typeof inputSpec>;
export type DatasetSpec = z.infer<typeof datasetSpec>;
export type DatasetInput = z.input<typeof datasetSpec>;

/** The models in build order: layer by layer, as listed within each. */
export const modelsInOrder = (spec: Pick<DatasetSpec, 'models'>): { name: string; layer: ModelLayer }[] =>
  MODEL_LAYERS.flatMap((layer) => (spec.models[layer] ?? []).map((name) => ({ name, layer })));
