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

const aliasesOf = (spec: DatasetSpec) =>
  new Map(Object.entries(spec.aliases).map(([c, map]) => [c, Object.fromEntries(Object.entries(map).map(([from, to]) => [from.trim().toLowerCase(), to]))]));

/**
 * One source's rows typed and checked, in the order of their lines, into `path` (Parquet): each row's line, a hash
 * of its cells as read (exact duplicates are found across sources by it), its typed values with the aliases
 * conformed (and the alias each one was written as), and the first column or row rule it breaks (`problem`, NULL
 * when none). A source's file depends on its own rows and the declaration only: an unchanged source is not checked
 * again (see checked-sources.ts).
 * The file keeps the rows' order but not always the same row groups: a Parquet file written in parallel takes the
 * row groups of what it reads, and a large read (10M rows past the memory cap) comes in row groups that vary from one
 * run to the next. Nothing is written from it unsorted (staging sorts by line, see buildStaging), so its row groups
 * never reach an output; sorting here as well took 16.5 s against 7.8 s at 5M car rows.
 */
export async function writeCheckedRows(db: Db, spec: DatasetSpec, relation: string, dateOrders: Map<string, DateOrder | undefined>, path: string): Promise<void> {
  const { columns } = spec;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const aliases = aliasesOf(spec);
  const ruleBranches = spec.rules.map((r) => {
    const column = byName.get(r.column);
    const value = column ? raw(column) : 'NULL';
    return `when not (${r.check}) then {'column': ${lit(column?.source ?? r.column)}, 'value': ${value}, 'reason': ${lit(r.reason)}, 'rule': ${lit(r.name)}}`;
  });
  // An empty cell is missing, and so is any value the dataset declares as meaning "missing" (e.g. '—').
  const missing = ['', ...spec.missing.map((m) => m.trim()).filter((m) => m !== '')];
  const cell = (c: ColumnSpec) => {
    const t = `trim(r.${ident(c.name)})`;
    return missing.length === 1 ? `nullif(${t}, '')` : `case when ${oneOf(t, missing)} then NULL else ${t} end`;
  };
  await db.run(`copy (
    with cells as (
      select r.line, hash(${columns.map((c) => `r.${ident(c.name)}`).join(', ')}) as raw_hash, ${columns.map((c) => `${cell(c)} as ${raw(c)}`).join(', ')}
      from ${relation} r
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
    select * exclude (${columns.map(raw).join(', ')}) from checked
  ) to ${lit(path)} (format parquet)`);
}

/**
 * Staging, derived from the declaration, from every source's checked rows (writeCheckedRows; `parts` in the
 * sources' order): exact duplicate rows are set aside, and each row either passes every column and row rule or is
 * rejected with the first rule it breaks. A second row with an existing key but other values is rejected too: which
 * of the two is right cannot be known, and the first one seen is kept; with the same values, it is a duplicate.
 */
export async function buildStaging(db: Db, spec: DatasetSpec, parts: { fileId: number; path: string }[], dataDir: string): Promise<void> {
  const { name, columns, key } = spec;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const typedColumns = columns.map((c) => ident(c.name)).join(', ');
  const aliases = aliasesOf(spec);
  const keyList = key.map(ident).join(', ');
  const keySources = key.map((k) => byName.get(k)?.source ?? k).join(', ');
  // Sources one after another, each in the order of its lines (UNION ALL keeps the order of its parts).
  await db.run(`create or replace temp view checked_${name} as
    ${parts.map((p) => `select ${p.fileId}::INTEGER as file_id, * from read_parquet(${lit(p.path)})`).join('\nunion all\n')}`);

  // Exact duplicates: rows with the same cells as read, found by their hashes (the rows of hashes seen once, nearly
  // all of them, are not sorted).
  await db.run(`create or replace temp table shared_hashes as select raw_hash from checked_${name} group by raw_hash having count(*) > 1`);
  const shared = (await db.rows<{ n: number }>('select count(*) as n from shared_hashes'))[0]!.n > 0;
  await db.run(`
    create or replace table duplicates as
    select file_id, line, duplicate_of from (
      select file_id, line, row_number() over w as copy_no, first_value(line) over w as duplicate_of
      from checked_${name} semi join shared_hashes using (raw_hash)
      ${shared ? '' : 'where false'}
      window w as (partition by raw_hash order by file_id, line)
    ) where copy_no > 1;
    drop table shared_hashes;`);
  const hasDuplicates = (await db.rows<{ n: number }>('select count(*) as n from duplicates'))[0]!.n > 0;
  const kept = `checked_${name} ${hasDuplicates ? 'anti join duplicates using (file_id, line)' : ''}`;

  await db.run(`
    -- A row's typed values, hashed: a second row of a key with the same values (the same sale exported by two
    -- systems, written otherwise: "95.7" and "95.70", a date and its text) is a duplicate, not a conflict.
    create or replace temp table problems_${name} as
      select file_id, line, ${keyList}, problem, hash(${typedColumns}) as typed_hash${[...aliases.keys()].map((c) => `, ${aliasColumn(c)}`).join('')} from ${kept};

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
  // Sorted by line: a join that sets rows aside does not keep their order, and without one the checked rows' order
  // comes in row groups that vary from run to run at scale (see writeCheckedRows). Sorted, the same rows always make
  // the same file, and so does every file written from it: the outputs of a build that reuses a source equal a clean
  // build's byte for byte.
  const hasClashes = (await db.rows<{ n: number }>('select count(*) as n from key_clashes'))[0]!.n > 0;
  await writeTable(
    db,
    { name: stagingTable(spec.name), kind: 'staging' },
    `select file_id, line, ${typedColumns}
    from ${kept} ${hasClashes ? 'anti join key_clashes using (file_id, line)' : ''}
    where problem is null
    order by file_id, line`,
    dataDir,
  );
  await db.run(`drop table key_clashes; drop view checked_${name};`);
}
