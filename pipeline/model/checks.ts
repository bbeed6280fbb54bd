import { z } from 'zod';
import { ident, lit } from '../duckdb.ts';

const check = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unique'), columns: z.array(z.string()).min(1) }),
  z.object({ type: z.literal('not_null'), columns: z.array(z.string()).min(1) }),
  z.object({ type: z.literal('accepted_values'), column: z.string(), values: z.array(z.string()).min(1) }),
  z.object({ type: z.literal('relationships'), column: z.string(), to: z.string(), field: z.string() }),
  z.object({ type: z.literal('expression'), name: z.string(), sql: z.string() }),
]);
export const checksFile = z.array(check);
export type Check = z.infer<typeof check>;

export interface CompiledCheck {
  model: string;
  name: string;
  type: Check['type'];
  /** Counts the rows that break the check: 0 means it passes. */
  sql: string;
}

/** Compiles a declarative check beside a model into a `count(*)` of the rows that break it. */
export function compileCheck(model: string, c: Check): CompiledCheck {
  const m = ident(model);
  switch (c.type) {
    case 'unique': {
      const cols = c.columns.map(ident).join(', ');
      return { model, type: c.type, name: `unique(${c.columns.join(', ')})`, sql: `select count(*) as failing from (select ${cols} from ${m} group by all having count(*) > 1)` };
    }
    case 'not_null':
      return { model, type: c.type, name: `not_null(${c.columns.join(', ')})`, sql: `select count(*) as failing from ${m} where ${c.columns.map((col) => `${ident(col)} is null`).join(' or ')}` };
    case 'accepted_values':
      return { model, type: c.type, name: `accepted_values(${c.column})`, sql: `select count(*) as failing from ${m} where ${ident(c.column)} not in (${c.values.map(lit).join(', ')})` };
    case 'relationships':
      return {
        model,
        type: c.type,
        name: `relationships(${c.column} → ${c.to}.${c.field})`,
        sql: `select count(*) as failing from ${m} a anti join ${ident(c.to)} b on a.${ident(c.column)} = b.${ident(c.field)} where a.${ident(c.column)} is not null`,
      };
    case 'expression':
      return { model, type: c.type, name: c.name, sql: `select count(*) as failing from ${m} where not (${c.sql})` };
  }
}
