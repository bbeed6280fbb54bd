import type { DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, type Db } from '../duckdb.ts';
import type { MedianCounts } from './medians.ts';

export interface SliceSource {
  /** What the slice aggregates: the mart, or its rows grouped in advance. */
  from: string;
  over: 'rows' | 'partials';
  /** The default filter (its column is kept in partials). */
  where: string;
  /** The distinct-counted columns a plain count gives in this grouping set (see SliceSources.keyed). */
  counted(set: string[]): Set<string>;
  /** The value counts medians are read from (see medians.ts). */
  medians?: MedianCounts;
}

/**
 * A slice's grouping sets each hash the mart once per distinct count, which is most of the cube's time. Two
 * facts about the data make most of those hashes unnecessary; both are measured once on the data, never assumed:
 * - When a distinct-counted column determines other columns (an order has one date, customer, place and status),
 *   the sets can be computed from the mart grouped by it, those columns and the slice's other levels, with sums
 *   and a row count: one row per order (or per order and deal size) instead of one per order line, and the same
 *   figures, since every column a set groups, filters or counts by is among the grouped ones.
 * - When no two rows share a level column's value and a distinct-counted column's (an order lists a product on
 *   one line), every group of a set that includes that level holds each counted value once: the distinct count is
 *   a plain count, with no hash at all.
 */
export class SliceSources {
  private readonly spec: DatasetSpec;
  private readonly determined: Map<string, Set<string>>;
  private readonly keyed: Map<string, Set<string>>;

  private constructor(spec: DatasetSpec, determined: Map<string, Set<string>>, keyed: Map<string, Set<string>>) {
    this.spec = spec;
    this.determined = determined;
    this.keyed = keyed;
  }

  /** Partial tables built so far, by the undetermined levels they group by. */
  private readonly partials = new Map<string, string>();

  static async measure(db: Db, spec: DatasetSpec): Promise<SliceSources> {
    const distinct = distinctColumns(spec);
    const levels = spec.dimensions.flatMap((d) => d.levels.map((l) => l.column));
    const determined = new Map<string, Set<string>>();
    // A median needs every value: it cannot be computed from grouped rows.
    const grouping = !spec.measures.some((m) => m.agg === 'median');
    const candidates = [...new Set([...levels, ...distinct])];
    // The mart's first rows: they rule out most candidates below for nothing, before a pass over the mart.
    const sample = `(from ${ident(spec.mart)} limit 100000)`;
    for (const key of grouping ? distinct : []) {
      // The columns left are confirmed together (grouped by the key and them, the mart has one row per key value),
      // or else one by one.
      const sampled = await constantWithin(db, sample, key, candidates.filter((c) => c !== key));
      const [together] = await db.rows<{ one: boolean }>(`
        select count(*) = count(distinct ${ident(key)}) as one
        from (select ${[key, ...sampled].map(ident).join(', ')} from ${ident(spec.mart)} group by all)`);
      determined.set(key, new Set(together!.one ? sampled : await constantWithin(db, ident(spec.mart), key, sampled)));
    }
    const keyed = new Map<string, Set<string>>();
    for (const counted of distinct) {
      // A level the counted column determines repeats with it on every row of the value.
      const pairs = levels.filter((c) => c !== counted && !determined.get(counted)?.has(c));
      const repeats = async (c: string, from: string) =>
        (await db.rows<{ n: number }>(`select count(*) as n from (select 1 from ${from} group by ${ident(c)}, ${ident(counted)} having count(*) > 1 limit 1)`))[0]!.n > 0;
      const keys = [];
      for (const c of pairs) {
        if (!(await repeats(c, sample)) && !(await repeats(c, ident(spec.mart)))) keys.push(c);
      }
      keyed.set(counted, new Set(keys));
    }
    return new SliceSources(spec, determined, keyed);
  }

  /** Distinct-counted columns no group of this set (quoted column names) holds twice: a level it groups by is a key with them. */
  private counted(set: string[]): Set<string> {
    return new Set(distinctColumns(this.spec).filter((d) => [...(this.keyed.get(d) ?? [])].some((c) => set.includes(ident(c)))));
  }

  /**
   * Where a slice over these level columns reads from under this filter: the mart, or partials (see the class).
   * Partials are grouped by the distinct-counted column that determines the most columns, every column it
   * determines, the filter's column, the other distinct-counted columns and the slice's levels it does not
   * determine: one temp table serves every slice that leaves the same levels undetermined (for sales, a table by
   * order and one by order and deal size, each a fraction of the mart's rows), until `drop`.
   */
  async for(db: Db, levels: string[], where: string): Promise<SliceSource> {
    const counted = (set: string[]) => this.counted(set);
    const rows: SliceSource = { from: ident(this.spec.mart), over: 'rows', where, counted };
    const distinct = distinctColumns(this.spec);
    const key = [...distinct].sort((a, b) => (this.determined.get(b)?.size ?? 0) - (this.determined.get(a)?.size ?? 0))[0];
    const determined = key === undefined ? undefined : this.determined.get(key);
    if (key === undefined || !determined) return rows;
    const undetermined = levels.filter((c) => c !== key && !determined.has(c));
    // A level that is a key with the counted column leaves a partial row per row: counting rows is cheaper.
    if (undetermined.some((c) => this.keyed.get(key)?.has(c))) return rows;
    const filter = this.spec.defaultFilter ? [this.spec.defaultFilter.column] : [];
    const columns = [...new Set([key, ...determined, ...filter, ...distinct, ...undetermined])];
    const id = undetermined.join('\0');
    let table = this.partials.get(id);
    if (!table) {
      table = `cube__partials_${this.partials.size}`;
      const sums = [...new Set(this.spec.measures.flatMap((m) => (m.agg === 'sum' ? [m.column] : [])))];
      await db.run(`
        create or replace temp table ${table} as
        select ${columns.map(ident).join(', ')}, ${[...sums.map((c) => `sum(${ident(c)}) as ${ident(c)}`), 'count(*) as __rows'].join(', ')}
        from ${ident(this.spec.mart)} group by ${columns.map(ident).join(', ')}`);
      this.partials.set(id, table);
    }
    return { from: table, over: 'partials', where, counted };
  }

  async drop(db: Db): Promise<void> {
    for (const table of this.partials.values()) await db.run(`drop table ${table}`);
    this.partials.clear();
  }
}

/** The columns that take one value within each value of the key (either never or always missing). */
async function constantWithin(db: Db, from: string, key: string, columns: string[]): Promise<string[]> {
  if (!columns.length) return [];
  const checks = columns.map((c, i) => `bool_and(lo${i} is not distinct from hi${i} and (n${i} = 0 or n${i} = n)) as ${ident(c)}`);
  const [row] = await db.rows<Record<string, boolean>>(`
    select ${checks.join(', ')} from (
      select ${columns.map((c, i) => `min(${ident(c)}) as lo${i}, max(${ident(c)}) as hi${i}, count(${ident(c)}) as n${i}`).join(', ')}, count(*) as n
      from ${from} group by ${ident(key)}
    )`);
  return columns.filter((c) => row?.[c] === true);
}

const distinctColumns = (spec: DatasetSpec) => [...new Set(spec.measures.flatMap((m) => (m.agg === 'countDistinct' ? [m.column] : [])))];
