import type { DatasetSpec } from '../../src/lib/dataset-spec.ts';
import { ident, type Db } from '../duckdb.ts';

export interface SliceSource {
  /** What the slice aggregates: the mart, or its rows grouped in advance. */
  from: string;
  over: 'rows' | 'partials';
  /** The default filter when reading the mart; partials are built with it already applied. */
  where: string;
  /** The distinct-counted columns a plain count gives in this grouping set (see SliceSources.keyed). */
  counted(set: string[]): Set<string>;
}

/**
 * A slice's grouping sets each hash the mart once per distinct count, which is most of the cube's time. Two
 * facts about the data make most of those hashes unnecessary; both are measured once on the data, never assumed:
 * - When one distinct-counted column determines every other column the slice groups or counts by (an order has
 *   one date, one customer and one place), the sets can be computed from the mart grouped by those columns, with
 *   sums and a row count: one row per order instead of one per order line, and the same figures.
 * - When no two rows share a level column's value and a distinct-counted column's (an order lists a product on
 *   one line), every group of a set that includes that level holds each counted value once: the distinct count is
 *   a plain count (10M rows: the product slices in half the time).
 */
export class SliceSources {
  private constructor(
    private readonly spec: DatasetSpec,
    private readonly determined: Map<string, Set<string>>,
    private readonly keyed: Map<string, Set<string>>,
  ) {}

  static async measure(db: Db, spec: DatasetSpec): Promise<SliceSources> {
    const distinct = distinctColumns(spec);
    const levels = spec.dimensions.flatMap((d) => d.levels.map((l) => l.column));
    const determined = new Map<string, Set<string>>();
    // A median needs every value: it cannot be computed from grouped rows.
    const grouping = !spec.measures.some((m) => m.agg === 'median');
    const candidates = [...new Set([...levels, ...distinct])];
    for (const key of grouping ? distinct : []) {
      const others = candidates.filter((c) => c !== key);
      // Constant within each key value: one value (min = max), and either never or always missing.
      const checks = others.map((c, i) => `bool_and(lo${i} is not distinct from hi${i} and (n${i} = 0 or n${i} = n)) as ${ident(c)}`);
      const [row] = await db.rows<Record<string, boolean>>(`
        select ${checks.join(', ')} from (
          select ${others.map((c, i) => `min(${ident(c)}) as lo${i}, max(${ident(c)}) as hi${i}, count(${ident(c)}) as n${i}`).join(', ')}, count(*) as n
          from ${ident(spec.mart)} group by ${ident(key)}
        )`);
      determined.set(key, new Set(others.filter((c) => row?.[c] === true)));
    }
    const keyed = new Map<string, Set<string>>();
    for (const counted of distinct) {
      // A level the counted column determines repeats with it on every row of the value. Proving a pair is a key
      // takes a pass over the mart; the first rows rule most pairs out for nothing.
      const pairs = levels.filter((c) => c !== counted && !determined.get(counted)?.has(c));
      const repeats = async (c: string, from: string) =>
        (await db.rows<{ n: number }>(`select count(*) as n from (select 1 from ${from} group by ${ident(c)}, ${ident(counted)} having count(*) > 1 limit 1)`))[0]!.n > 0;
      const keys = [];
      for (const c of pairs) {
        if (!(await repeats(c, `(from ${ident(spec.mart)} limit 100000)`)) && !(await repeats(c, ident(spec.mart)))) keys.push(c);
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
   * Where a slice over these level columns reads from under this filter. Partials are a temp table named
   * after the slice, for the caller to drop once the slice is built.
   */
  async for(db: Db, slice: string, levels: string[], where: string): Promise<SliceSource> {
    const distinct = distinctColumns(this.spec);
    const keys = [...new Set([...levels, ...distinct])];
    const key = distinct.find((d) => keys.every((c) => c === d || this.determined.get(d)?.has(c)));
    const counted = (set: string[]) => this.counted(set);
    if (!key) return { from: ident(this.spec.mart), over: 'rows', where, counted };
    const sums = [...new Set(this.spec.measures.flatMap((m) => (m.agg === 'sum' ? [m.column] : [])))];
    const table = `${slice}__partials`;
    await db.run(`
      create or replace temp table ${table} as
      select ${keys.map(ident).join(', ')}, ${[...sums.map((c) => `sum(${ident(c)}) as ${ident(c)}`), 'count(*) as __rows'].join(', ')}
      from ${ident(this.spec.mart)} where ${where}
      group by ${keys.map(ident).join(', ')}`);
    return { from: table, over: 'partials', where: 'true', counted };
  }
}

const distinctColumns = (spec: DatasetSpec) => [...new Set(spec.measures.flatMap((m) => (m.agg === 'countDistinct' ? [m.column] : [])))];
