/**
 * The pipeline and the explorer are generic over the declaration: a small "library loans" dataset declared in
 * tests/fixtures/loans (its own columns, models, hierarchies and measures) goes through the real pipeline; its outputs exist, its KPIs
 * and the explorer's pivot over its mart equal SQL over the CSV; and a dimension and a measure added to the
 * declaration alone get their slices, their URL state and an exact pivot, with no code change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineDataset } from '../../pipeline/datasets/index.ts';
import type { Db } from '../../pipeline/duckdb.ts';
import type { DatasetInput, DatasetSpec } from '../../src/lib/contract/declaration.ts';
import type { Manifest } from '../../src/lib/contract/manifest.ts';
import { factTableFromArrow } from '../../src/lib/fact-table.ts';
import { emptyState, type FilterState } from '../../src/lib/filter-state.ts';
import { pivot, type Axis, type PivotSpec } from '../../src/lib/pivot.ts';
import { parseExplorer, serializeExplorer } from '../../src/lib/pivot-state.ts';
import { matchingRows, type EngineSpec } from '../../src/lib/query.ts';
import loans from '../fixtures/loans/dataset.ts';
import { Mismatches } from '../helpers/mismatches.ts';
import { expectFilesSharedOnlyWhenSame, independentDb, pageCells, readJson, run } from '../helpers/pipeline.ts';
import { expectedPivot, pivotMismatches, sqlBy } from '../helpers/pivot-sql.ts';

const FIXTURE = 'tests/fixtures/loans';
const csv = join(FIXTURE, 'loans.csv');

/** The fixture's declaration; `extended` adds a genre dimension and an average-fee measure, nothing else. */
function declaration(extended: boolean): DatasetInput {
  if (!extended) return loans;
  return {
    ...loans,
    dimensions: [...loans.dimensions, { name: 'genre', label: 'Genre', levels: [{ name: 'genre', label: 'Genre', column: 'genre' }] }],
    measures: [...loans.measures, { name: 'avg_fee', label: 'Average fee', format: 'currency', agg: 'ratio', numerator: 'fees', denominator: 'loans' }],
  };
}

/** Independent SQL over the CSV: level columns and every measure (sums of no rows are 0, as in the browser). */
const LEVELS: Record<string, string[]> = { time: ['year', 'month'], place: ['region', 'branch'], genre: ['genre'] };
const FIGURES: Record<string, string> = {
  fees: 'coalesce(round(sum(fee), 2), 0)::DOUBLE',
  loans: 'count(*)::DOUBLE',
  members: 'count(distinct member_id)::DOUBLE',
  fees_per_member: 'round(coalesce(sum(fee), 0) / nullif(count(distinct member_id), 0), 2)::DOUBLE',
  avg_fee: 'round(coalesce(sum(fee), 0) / nullif(count(*), 0), 2)::DOUBLE',
};
const figuresSql = (spec: DatasetSpec) => spec.measures.map((m) => `${FIGURES[m.name]} as ${m.name}`).join(', ');
const whereSql = (s: FilterState) => [
  ...(s.from ? [`loan_date >= DATE '${s.from}'`] : []), ...(s.to ? [`loan_date <= DATE '${s.to}'`] : []), s.members.genre ? 'true' : `genre <> 'Reference'`,
  ...Object.entries(s.members).map(([column, members]) => (members.length ? `${column} in (${members.map((m) => `'${m}'`).join(', ')})` : 'false')),
].join(' and ');

// The last one lifts the default filter.
const STATES: FilterState[] = [emptyState(), { ...emptyState(), from: '2023-03-01', to: '2024-02-29', members: { region: ['North'] } }, { ...emptyState(), members: { genre: ['Reference', 'Fiction'] } }];

let db: Db, first: Build, second: Build;

async function build(extended: boolean) {
  const dataset = defineDataset(declaration(extended), join(FIXTURE, 'models'));
  const [{ spec }, result] = [dataset, await run([csv], { dataset })];
  const data = join(result.outDir, 'data', 'loans');
  const table = pageCells(result.outDir, 'loans');
  const engine: EngineSpec = { measures: spec.measures, dimensions: spec.dimensions, timeDimension: spec.timeDimension, defaultFilter: spec.defaultFilter };
  return { result, spec, table, engine, data, api: join(result.outDir, 'api', 'loans') };
}
type Build = Awaited<ReturnType<typeof build>>;

/** Every measure × row axis × (no columns, or each axis of another dimension), every top row expanded, sorts and states in turn. */
async function checkPivots(b: Build) {
  const axes = b.spec.dimensions.flatMap((d) => d.levels.map((_, level): Axis => ({ dimension: d.name, level })));
  const sort = (by: 'label' | 'value', column: string, descending: boolean) => ({ by, column, descending });
  const sorts = [sort('label', '', false), sort('value', '', true), sort('label', '', true), sort('value', '<first column>', false)];
  const choices = b.spec.measures.flatMap(({ name: measure }) =>
    axes.flatMap((rows) => [undefined, ...axes.filter((a) => a.dimension !== rows.dimension)].map((columns) => ({ measure, rows, columns }))));
  const checked: PivotSpec[] = [];
  const mismatches = new Mismatches();
  for (const [i, { measure, rows, columns }] of choices.entries()) {
    const state = STATES[i % STATES.length]!;
    const matching = matchingRows(b.table, b.engine, state);
    const spec: PivotSpec = { measure, rows, columns, expanded: [], sort: sorts[i % sorts.length]! };
    const collapsed = pivot(b.table, matching, b.engine, spec);
    spec.expanded = collapsed.rows.map((r) => r.path);
    if (spec.sort.column) spec.sort = { ...spec.sort, column: collapsed.columns[0] ?? '' };
    const column = columns && LEVELS[columns.dimension]![columns.level];
    const want = await expectedPivot(sqlBy(db, 'loans', `${FIGURES[measure]} as ${measure}`, measure, whereSql(state)), spec, LEVELS[rows.dimension]!.slice(rows.level), column, columns?.dimension === 'time');
    mismatches.add(...pivotMismatches(pivot(b.table, matching, b.engine, spec), want, spec).map((m) => ({ state, spec, ...m })));
    checked.push(spec);
  }
  mismatches.expectNone();
  return checked;
}

beforeAll(async () => {
  db = await independentDb();
  await db.run(`create table loans as select *, year(loan_date) as year, strftime(loan_date, '%Y-%m') as month from read_csv('${csv}', header = true,
    columns = {'loan_id': 'INTEGER', 'loan_date': 'DATE', 'branch': 'VARCHAR', 'region': 'VARCHAR', 'genre': 'VARCHAR', 'title': 'VARCHAR', 'member_id': 'INTEGER', 'fee': 'DECIMAL(18,2)'})`);
  first = await build(false);
  second = await build(true);
});

describe('a dataset declared in the test goes through the same machinery', () => {
  it('writes the mart for the browser, a slice per dimension and per pair, and the API', () => {
    for (const b of [first, second]) {
      const names = b.spec.dimensions.map((d) => d.name);
      const pairs = names.flatMap((x, i) => names.slice(i + 1).map((y) => `cube_${x}__${y}.parquet`));
      // Every page's cells, as listed (pages whose cells are the same rows share files).
      const pages = readJson<Manifest>(join(b.data, 'manifest.json')).pages;
      expect(pages.map((p) => p.page)).toEqual(expect.arrayContaining(['', 'explorer/']));
      expectFilesSharedOnlyWhenSame(pages);
      const files = [...pages.flatMap((p) => p.files.map((f) => f.path)), 'stg_loans.parquet', 'dim_branch.parquet', 'manifest.json', ...names.flatMap((d) => [`cube_${d}.parquet`, `cube_${d}.arrow`]), ...pairs];
      for (const file of files) expect(existsSync(join(b.data, file)), file).toBe(true);
      for (const file of ['kpis.json', 'quality.json', 'fees-by-branch.json', 'monthly-trends.json']) expect(existsSync(join(b.api, file)), file).toBe(true);
      expect(b.result.quality.totals).toMatchObject({ read: 32, loaded: 32, rejected: 0, duplicates: 0 });
      expect(b.result.quality.checks.map((c) => c.passed)).toEqual([true, true, true, true]);
    }
    expect(existsSync(join(first.data, 'cube_genre.parquet'))).toBe(false);
  });

  it('KPIs equal SQL over the CSV: default filter, unfiltered, year to date against the year before', async () => {
    for (const b of [first, second]) {
      const kpis = readJson(join(b.api, 'kpis.json'));
      const figures = async (where: string) => (await db.rows(`select ${figuresSql(b.spec)} from loans where ${where}`))[0];
      const [span] = await db.rows<{ from: string; to: string }>('select min(loan_date)::VARCHAR as "from", max(loan_date)::VARCHAR as "to" from loans');
      const year = Number(span!.to.slice(0, 4));
      expect(kpis.period).toEqual(span);
      expect(kpis.measures).toEqual(await figures(`genre <> 'Reference'`));
      expect(kpis.unfiltered).toEqual(await figures('true'));
      expect(kpis.growth.current.measures).toEqual(await figures(`genre <> 'Reference' and loan_date between DATE '${year}-01-01' and DATE '${span!.to}'`));
      const previous = `loan_date between DATE '${year - 1}-01-01' and DATE '${year - 1}${span!.to.slice(4)}'`;
      expect(kpis.growth.previous.measures).toEqual(await figures(`genre <> 'Reference' and ${previous}`));
    }
  });

  it('the explorer pivot over its mart equals SQL for every measure and axis', async () => {
    expect((await checkPivots(first)).length).toBe(4 * 4 * 3);
  });

  it('a dimension and a measure added to the declaration alone: slices, URL state and an exact pivot', async () => {
    // The genre slice holds every genre (the default filter is on its own column) and equals SQL.
    const slice = await db.rows(`select genre, ${second.spec.measures.map((m) => `${m.name}::DOUBLE as ${m.name}`).join(', ')}
      from read_parquet('${join(second.data, 'cube_genre.parquet')}') where depth = 1 order by genre`);
    expect(slice).toEqual(await db.rows(`select genre, ${figuresSql(second.spec)} from loans group by genre order by genre`));
    // The URL names the new axis and measure, and they survive a round trip; the old declaration knew neither.
    const url = new URLSearchParams('measure=avg_fee&rows=genre.genre&cols=place.branch&sort=value&desc=1&expand=%5B%22Fiction%22%5D');
    const state = parseExplorer(url, second.engine, 'fees');
    const axes = { rows: { dimension: 'genre', level: 0 }, columns: { dimension: 'place', level: 1 } };
    expect(state.pivot).toEqual({ measure: 'avg_fee', ...axes, expanded: [['Fiction']], sort: { by: 'value', column: '', descending: true } });
    expect(parseExplorer(serializeExplorer(state, second.engine), second.engine, 'fees')).toEqual(state);
    expect(parseExplorer(url, first.engine, 'fees').pivot).toMatchObject({ measure: 'fees', rows: { dimension: 'time', level: 0 } });
    const checked = await checkPivots(second);
    expect(checked.length).toBe(5 * (2 * 4 + 2 * 4 + 5));
    expect(checked.filter((p) => p.measure === 'avg_fee' && (p.rows.dimension === 'genre' || p.columns?.dimension === 'genre')).length).toBe(9);
  });
});
