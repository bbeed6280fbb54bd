/**
 * customer-segments.json and cohorts.json, for the default filter, from the columns the declaration names as the
 * customer and the order (`analysis.customers`).
 *
 * RFM as of the last day in the data: recency (days since the customer's last order), frequency (orders) and
 * monetary value (the primary measure). Each is scored 1–5 by where the customer ranks among all of them,
 * 1 + ⌊5 × (customers strictly worse) ÷ customers⌋, so ties share a score and 5 is the best fifth. A customer takes
 * the first of SEGMENTS whose rule holds. The scores are a table of their own (buildSegmentsTable, a download), which
 * customer-segments.json is written from.
 * Cohorts: customers by the month of their first order, with the customers active and the primary measure in each
 * month since; and per month, new customers (a first order) against returning ones.
 */
import { SEGMENTS_TABLE, type CohortsFile, type CustomerScore, type MonthSpan, type SegmentsFile } from '../../src/lib/contract/analysis.ts';
import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { filterSql, measureSql } from '../cube/measure-sql.ts';
import { ident, type Db } from '../duckdb.ts';
import { filterLabel, primaryMeasure } from './monthly.ts';

export const SEGMENTS = [
  { segment: 'champions', when: 'r >= 4 and f >= 4', rule: 'R ≥ 4 and F ≥ 4', meaning: 'bought lately and often' },
  { segment: 'loyal', when: 'r >= 3 and f >= 3', rule: 'R ≥ 3 and F ≥ 3', meaning: 'bought fairly lately and often' },
  { segment: 'promising', when: 'r >= 3', rule: 'R ≥ 3', meaning: 'bought lately, not often yet' },
  { segment: 'at risk', when: 'f >= 3', rule: 'F ≥ 3', meaning: 'bought often, not lately' },
  { segment: 'hibernating', when: 'r = 2', rule: 'R = 2', meaning: 'neither lately nor often' },
  { segment: 'lost', when: 'r = 1', rule: 'R = 1', meaning: 'longest since an order, and few of them' },
] as const;

/** A 1–5 score from a rank: the customers strictly worse, over all of them. */
const score = (order: string) => `1 + floor(5 * (rank() over (order by ${order}) - 1) / count(*) over ())::INTEGER`;

/** The columns of SEGMENTS_TABLE (a download beside the models, see export-all.ts), described. */
export const SEGMENT_COLUMNS: Record<string, string> = {
  customer: 'Customer',
  last_order: 'Day of the customer’s last order',
  recency_days: 'Days from the last order to the last day in the data',
  frequency: 'Orders',
  monetary: 'The primary measure over the customer’s rows',
  r: 'Recency score, 1–5 (5: the most recent fifth)',
  f: 'Frequency score, 1–5',
  m: 'Monetary score, 1–5',
  segment: 'RFM segment (docs/analysis.md)',
};

/** Every customer's RFM scores and segment, largest value first, into SEGMENTS_TABLE (when the dataset opts in). */
export async function buildSegmentsTable(db: Db, spec: DatasetSpec): Promise<boolean> {
  const options = spec.analysis.customers;
  if (options) await db.run(`create or replace table ${SEGMENTS_TABLE} as ${perCustomerSql(spec, options.customer, options.order)}`);
  return options !== undefined;
}

function perCustomerSql(spec: DatasetSpec, customer: string, order: string): string {
  const time = ident(spec.timeColumn);
  return `
    with lines as (from ${ident(spec.mart)} where ${filterSql(spec.defaultFilter)}),
    customers as (
      select ${ident(customer)}::VARCHAR as customer, max(${time})::DATE as last_order, count(distinct ${ident(order)}) as frequency,
        round((${measureSql(primaryMeasure(spec), spec.measures)})::DOUBLE, 2) as monetary
      from lines where ${ident(customer)} is not null group by 1
    ),
    measured as (select *, datediff('day', last_order, (select max(${time})::DATE from lines)) as recency_days from customers),
    scored as (
      select *, ${score('recency_days desc')} as r, ${score('frequency')} as f, ${score('monetary')} as m from measured
    )
    select customer, strftime(last_order, '%Y-%m-%d') as last_order, recency_days, frequency, monetary, r, f, m,
      case ${SEGMENTS.map((s) => `when ${s.when} then '${s.segment}'`).join(' ')} end as segment
    from scored order by monetary desc, customer`;
}

/** `span`: the months under the default filter (monthly.ts), whose last day the scores are as of. */
export async function customerSegmentsFile(db: Db, spec: DatasetSpec, span: MonthSpan | undefined): Promise<SegmentsFile | undefined> {
  const options = spec.analysis.customers;
  if (!options) return undefined;
  const customers = await db.rows<CustomerScore>(`from ${SEGMENTS_TABLE}`);
  return {
    dataset: spec.name,
    measure: spec.primaryMeasure,
    filter: filterLabel(spec),
    asOf: span?.latest.through ?? null,
    scores: 'each of R (days since the last order, fewer is better), F (orders) and M (the measure) is 1 + ⌊5 × customers strictly worse ÷ customers⌋: ties share a score, 5 is the best fifth',
    segments: SEGMENTS.map(({ segment, rule, meaning }) => {
      const members = customers.filter((c) => c.segment === segment);
      return { segment, rule, meaning, customers: members.length, monetary: Math.round(members.reduce((a, c) => a + c.monetary, 0) * 100) / 100 };
    }),
    customers,
  };
}

export async function cohortsFile(db: Db, spec: DatasetSpec): Promise<CohortsFile | undefined> {
  const options = spec.analysis.customers;
  if (!options) return undefined;
  const customer = ident(options.customer);
  // Each customer's value per month, and the month of their first order.
  const perMonth = `
    with per as (
      select ${customer} as customer, date_trunc('month', ${ident(spec.timeColumn)})::DATE as month, (${measureSql(primaryMeasure(spec), spec.measures)})::DOUBLE as value
      from ${ident(spec.mart)} where (${filterSql(spec.defaultFilter)}) and ${customer} is not null group by all
    ),
    first as (select customer, min(month) as cohort from per group by 1)`;
  const cohorts = await db.rows<CohortsFile['cohorts'][number]>(`${perMonth}
    select strftime(cohort, '%Y-%m') as cohort, datediff('month', cohort, month) as months_since, strftime(month, '%Y-%m') as month,
      count(*) as customers, round(sum(value), 2) as value
    from per join first using (customer) group by all order by cohort, months_since`);
  const months = await db.rows<CohortsFile['months'][number]>(`${perMonth}
    select strftime(month, '%Y-%m') as month, count(*) filter (where month = cohort) as new_customers, count(*) filter (where month > cohort) as returning_customers,
      coalesce(round(sum(value) filter (where month = cohort), 2), 0) as new_value, coalesce(round(sum(value) filter (where month > cohort), 2), 0) as returning_value
    from per join first using (customer) group by all order by month`);
  return { dataset: spec.name, measure: spec.primaryMeasure, filter: filterLabel(spec), cohorts, months };
}
