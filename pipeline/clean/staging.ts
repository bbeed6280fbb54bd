import type { ColumnSpec, DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { ident, lit, type Db } from '../duckdb.ts';
import { stagingTable } from '../../src/lib/contract/paths.ts';
import { writeTable } from '../file-tables.ts';
import { expectedFormat, typedSql, type DateOrder } from './parse-sql.ts';

const raw = (c: ColumnSpec) => ident(`${c.name}__raw`);
/**
 * Whether a value is one of a list. Not `IN (…)`: in a CASE, DuckDB turns a list of five or more into a join,
 * and a plan with a join writes its rows in no set order (the staging file keeps the input's, see writeTable).
 */
const oneOf = (value: string, values: string[]) => `list_contains([${values.map(lit).join(', ')}], ${value})`;

const aliasColumn = (column: string) => ident(`${column}__alias`);
/** The member an alias (lower-cased) stands for. */
const aliasValue = (alias: string, map: Record<string, string>) => `case ${alias} ${Object.entries(map).map(([from, to]) => `when ${lit(from)} then ${lit(to)}`).join(' ')} end`;
/** A string column's value with its aliases conformed: a CASE of constants, which keeps the rows' order (no join). */
const conformed = (c: ColumnSpec, map: Record<string, string>) => `coalesce(${aliasValue(`lower(${raw(c)})`, map)}, ${raw(c)})`;

/** The first rule a cell breaks, as a CASE branch yielding the reject's column, value, reason and rule. */
function columnProblems(c: ColumnSpec): string[] {
  const problem = (reason: string, rule: string) => `{'column': ${lit(c.source)}, 'value': ${raw(c)}, 'reason': ${reason}, 'rule': ${lit(rule)}}`;
  const v = ident(c.name);
  const branches: string[] = [];
  if (c.required) branches.push(`when ${raw(c)} is null then ${problem(lit('missing value'), 'not_null')}`);
  if (c.type !== 'string') {
    branches.push(`when ${raw(c)} is not null and ${v} is null then ${problem(lit(`not ${expectedFormat[c.type]}`), 'type')}`);
  }
  if (c.pattern !== undefined) {
    branches.push(`when not regexp_full_match(${raw(c)}, ${lit(c.pattern)}) then ${problem(lit(c.patternReason ?? `not in the expected form (${c.pattern})`), 'pattern')}`);
  }
  if (c.accepted) {
    branches.push(
      `when not ${oneOf(v, c.accepted)} then ${problem(lit(`not an accepted value (expected one of: ${c.accepted.join(', ')})`), 'accepted_values')}`,
    );
  }
  if (c.min !== undefined) branches.push(`when ${v} < ${c.min} then ${problem(lit(`below the minimum of ${c.min}`), 'range')}`);
  if (c.max !== undefined) branches.push(`when ${v} > ${c.max} then ${problem(lit(`above the maximum of ${c.max}`), 'range')}`);
  if (c.type === 'string') {
    branches.push(`when length(${v}) > ${c.maxLength} then ${problem(lit(`longer than ${c.maxLength} characters`), 'max_length')}`);
  }
  return branches;
}

/**
 * Staging, derived from the declaration: exact duplicate rows are set aside, cells are trimmed and typed,
 * and each row either passes every column and row rule or is rejected with the first rule it breaks.
 * A second row with an existing key but other values is rejected too: which of the two is right cannot
 * be known, and the first one seen is kept.
 */
export async function buildStaging(
  db: Db,
  spec: DatasetSpec,
  dateOrders: Map<string, DateOrder | undefined>,
  dataDir: string,
  rawInFileOrder: boolean,
): Promise<void> {
  const { name, columns, key } = spec;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const rawColumns = columns.map((c) => ident(c.name)).join(', ');
  const aliases = new Map(Object.entries(spec.aliases).map(([c, map]) => [c, Object.fromEntries(Object.entries(map).map(([from, to]) => [from.trim().toLowerCase(), to]))]));
  const ruleBranches = spec.rules.map((r) => {
    const column = byName.get(r.column);
    const value = column ? raw(column) : 'NULL';
    return `when not (${r.check}) then {'column': ${lit(column?.source ?? r.column)}, 'value': ${value}, 'reason': ${lit(r.reason)}, 'rule': ${lit(r.name)}}`;
  });
  const keyList = key.map(ident).join(', ');
  const keySources = key.map((k) => byName.get(k)?.source ?? k).join(', ');
  // An empty cell is missing, and so is any value the dataset declares as meaning "missing" (e.g. '—').
  const missing = ['', ...spec.missing.map((m) => m.trim()).filter((m) => m !== '')];
  const cell = (c: ColumnSpec) => {
    const t = `trim(r.${ident(c.name)})`;
    return missing.length === 1 ? `nullif(${t}, '')` : `case when ${oneOf(t, missing)} then NULL else ${t} end`;
  };

  // Exact duplicates: rows are first matched by a hash of all their cells (one pass, nothing held), and only when
  // some rows share a hash are those rows compared cell by cell: a file without duplicates costs no sort.
  const hashed = `select file_id, line, hash(${rawColumns}) as h from raw_${name}`;
  await db.run(`create or replace temp table shared_hashes as select h from (${hashed}) group by h having count(*) > 1`);
  const shared = (await db.rows<{ n: number }>('select count(*) as n from shared_hashes'))[0]!.n > 0;
  await db.run(`
    create or replace table duplicates as
    select file_id, line, duplicate_of from (
      select r.file_id, r.line, row_number() over w as copy_no, first_value(r.line) over w as duplicate_of
      from raw_${name} r join (select file_id, line from (${hashed}) where h in (from shared_hashes)) using (file_id, line)
      ${shared ? '' : 'where false'}
      window w as (partition by ${columns.map((c) => `r.${ident(c.name)}`).join(', ')} order by r.file_id, r.line)
    ) where copy_no > 1;
    drop table shared_hashes;`);
  const hasDuplicates = (await db.rows<{ n: number }>('select count(*) as n from duplicates'))[0]!.n > 0;

  // The typed and checked rows are a view, computed twice: once for the problems and keys (held, narrow), once
  // for the clean rows, written straight to their file. Two passes cost less than holding every typed row as a
  // table and reading it back.
  await db.run(`
    create or replace temp view checked_${name} as
    with cells as (
      select r.file_id, r.line, ${columns.map((c) => `${cell(c)} as ${raw(c)}`).join(', ')}
      from raw_${name} r ${hasDuplicates ? 'anti join duplicates d using (file_id, line)' : ''}
    ),
    typed as (
      select *, ${columns.map((c) => `${aliases.has(c.name) ? conformed(c, aliases.get(c.name)!) : typedSql(c, raw(c), dateOrders.get(c.name))} as ${ident(c.name)}`).join(',\n')}
        ${[...aliases].map(([c, map]) => `, case when ${oneOf(`lower(${raw(byName.get(c)!)})`, Object.keys(map))} then lower(${raw(byName.get(c)!)}) end as ${aliasColumn(c)}`).join('')}
      from cells
    ),
    checked as (
      select *, case ${[...columns.flatMap(columnProblems), ...ruleBranches].join('\n')} end as problem from typed
    )
    -- A cell's text is needed only in a reject's problem.
    select * exclude (${columns.map(raw).join(', ')}) from checked;
    -- A row's typed values, hashed: a second row of a key with the same values (the same sale exported by two
    -- systems, written otherwise: "95.7" and "95.70", a date and its text) is a duplicate, not a conflict.
    create or replace temp table problems_${name} as
      select file_id, line, ${keyList}, problem, hash(${rawColumns}) as typed_hash${[...aliases.keys()].map((c) => `, ${aliasColumn(c)}`).join('')} from checked_${name};

    -- Rows whose key an earlier valid row already has: keys are first counted (one hash aggregate), and only
    -- the rows of keys that occur more than once are ordered, so a file with unique keys costs no sort.
    create or replace temp table key_clashes as
    select * from (
      select c.file_id, c.line, ${key.map((k) => `c.${ident(k)}`).join(', ')},
        row_number() over k as key_no, first_value(c.line) over k as key_first_line, first_value(c.file_id) over k as key_first_file,
        c.typed_hash = first_value(c.typed_hash) over k as same_values
      from problems_${name} c
      semi join (select ${keyList} from problems_${name} where problem is null group by all having count(*) > 1) dup
        on ${key.map((k) => `c.${ident(k)} is not distinct from dup.${ident(k)}`).join(' and ')}
      where c.problem is null
      window k as (partition by ${key.map((k) => `c.${ident(k)}`).join(', ')} order by c.file_id, c.line)
    ) where key_no > 1;

    insert into rejects
    select c.file_id, f.file, c.line, problem.column, problem.value, problem.reason, problem.rule
    from problems_${name} c join files f using (file_id) where problem is not null;

    insert into rejects
    select c.file_id, f.file, c.line, ${lit(keySources)}, concat_ws(', ', ${key.map((k) => `${ident(k)}::VARCHAR`).join(', ')}),
      'duplicate key: line ' || key_first_line || case when key_first_file <> c.file_id then ' of ' || first.file else '' end || ' has the same ${keySources} with other values',
      'unique_key'
    from key_clashes c join files f using (file_id) join files first on first.file_id = c.key_first_file
    where not same_values;
    insert into duplicates select file_id, line, key_first_line from key_clashes where same_values;
    -- Found by several queries, listed in the order of the input (a row is rejected once).
    create or replace table rejects as from rejects order by file_id, line;
    create or replace table duplicates as from duplicates order by file_id, line;
    -- The rows each alias moved, among those loaded.
    create or replace table aliased (column_name VARCHAR, alias VARCHAR, value VARCHAR, "rows" BIGINT);
    ${[...aliases]
      .map(([c, map]) => `insert into aliased select ${lit(c)}, ${aliasColumn(c)}, ${aliasValue(`${aliasColumn(c)}`, map)}, count(*) from problems_${name} p
        where problem is null and ${aliasColumn(c)} is not null and not exists (from key_clashes k where k.file_id = p.file_id and k.line = p.line) group by all order by 2;`)
      .join('\n')}
    drop table problems_${name};
  `);
  // Without rows set aside, the clean rows keep the file's order (DuckDB preserves insertion order) and need no
  // sort, when the raw rows are in it; a join that sets rows aside or numbers lines does not keep it.
  const hasClashes = (await db.rows<{ n: number }>('select count(*) as n from key_clashes'))[0]!.n > 0;
  await writeTable(
    db,
    { name: stagingTable(spec.name), kind: 'staging' },
    `select file_id, line, ${columns.map((c) => ident(c.name)).join(', ')}
    from checked_${name} ${hasClashes ? 'anti join key_clashes using (file_id, line)' : ''}
    where problem is null
    ${hasDuplicates || hasClashes || !rawInFileOrder ? 'order by file_id, line' : ''}`,
    dataDir,
  );
  await db.run(`drop table key_clashes; drop view checked_${name};`);
}
