/** The filter bar's choices: each filterable column's members, in a natural order, with what is on by default. */
import type { DatasetSpec } from './contract/declaration.ts';
import type { FactTable } from './fact-table.ts';
import { naturalOrder } from './natural-order.ts';

export interface FilterOption {
  column: string;
  label: string;
  members: { value: string; checkedByDefault: boolean }[];
  defaultSummary: string;
}

/** `more` gives the members of a column the table leaves out (a detail's, fetched when a filter keeps them). */
export function filterOptions(spec: Pick<DatasetSpec, 'filters' | 'columns' | 'dimensions' | 'defaultFilter'>, table: FactTable, more: Record<string, string[]> = {}): FilterOption[] {
  return spec.filters.map((column) => {
    const present = table.text[column]?.values ?? more[column] ?? [];
    // Declared accepted values give the natural order (Small, Medium, Large); otherwise alphabetical, numbers by value.
    const accepted = spec.columns.find((c) => c.name === column)?.accepted;
    const values = accepted ? accepted.filter((v) => present.includes(v)) : [...present].sort(naturalOrder);
    const excluded = spec.defaultFilter?.column === column ? spec.defaultFilter.exclude : [];
    const members = values.map((value) => ({ value, checkedByDefault: !excluded.includes(value) }));
    // A level's label; a column that is no level (yet) goes by its description.
    const label = spec.dimensions.flatMap((d) => d.levels).find((l) => l.column === column)?.label ?? spec.columns.find((c) => c.name === column)?.description ?? column;
    const on = members.filter((m) => m.checkedByDefault).length;
    return { column, label, members, defaultSummary: on === members.length ? 'All' : `${on} of ${members.length}` };
  });
}
