/**
 * The floor for the pipeline benchmark: DuckDB alone copying a UTF-8 CSV to Parquet, with nothing else the
 * pipeline does (no decoding, validation, model, slices or exports). Prints one JSON line: {"rows", "ms"}.
 *   node bench/floor.ts --input FILE.utf8.csv --out FILE.parquet
 */
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({ options: { input: { type: 'string' }, out: { type: 'string' } } });
if (!values.input || !values.out) {
  process.stderr.write('usage: node bench/floor.ts --input FILE --out FILE.parquet\n');
  process.exit(2);
}
const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
const started = performance.now();
// The same settings as the pipeline's connection: never fetch an extension.
const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(`COPY (FROM read_csv(${lit(values.input)})) TO ${lit(values.out)} (FORMAT parquet)`);
const rows = Number(reader.getRows()[0]?.[0] ?? NaN);
const ms = performance.now() - started;
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ rows, ms: Math.round(ms) })}\n`);
