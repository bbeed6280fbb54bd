/**
 * A ranked table: the members of a column with several measures each, the top ones by a chosen measure (e.g. the
 * sellers with the most cars sold, with their median and average price − MMR). The page and the browser build it
 * with this one function.
 */
import type { RankedTableDef } from './contract/site.ts';
import type { FactTable } from './fact-table.ts';
import { naturalOrder } from './natural-order.ts';
import { groupBy, withParts, type EngineSpec, type Figures, type GroupRow } from './query.ts';

export type { RankedTableDef } from './contract/site.ts';

export interface RankedRow {
  key: string;
  figures: Figures;
}

/** The top `limit` members by the measure, largest first (ties by member), every shown measure exact for each. */
export function rankedRows(table: FactTable, rows: ArrayLike<number>, spec: EngineSpec, def: RankedTableDef, rankBy = def.rankBy[0]!): RankedRow[] {
  const measures = withParts(spec.measures, [...def.measures, rankBy]);
  return rankGroups(groupBy(table, rows, [def.column], measures), def, rankBy);
}

/** The top `limit` of members already grouped (from rows, or from a slice's figures). */
export function rankGroups(groups: GroupRow[], def: RankedTableDef, rankBy = def.rankBy[0]!): RankedRow[] {
  const value = (r: RankedRow) => r.figures[rankBy] ?? -Infinity;
  return groups
    .map((g) => ({ key: g.keys[0]!, figures: g.figures }))
    .sort((a, b) => value(b) - value(a) || naturalOrder(a.key, b.key))
    .slice(0, def.limit);
}
