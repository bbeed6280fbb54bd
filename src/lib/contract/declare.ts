/**
 * `declareDataset` checks a declaration's site part against its own dimensions and measures while it is written:
 * a chart of a misspelt measure, column or dimension fails the type check, as the schema's refinement would fail
 * it when the pipeline parses it. The columns a site may name are the hierarchy levels' and the measures'.
 */
import type { DatasetInput } from './declaration.ts';
import type { TypedSiteInput } from './site.ts';

type Dimensions = readonly { name: string; label: string; levels: readonly { name: string; label: string; column: string }[] }[];
type Measures = readonly DatasetInput['measures'][number][];

type ColumnOf<M> = M extends { column: infer C extends string } ? C : never;
/** The names of a declaration's measures, mart columns and dimensions. */
export interface DeclaredNames<D extends Dimensions, M extends Measures> {
  measure: M[number]['name'];
  column: D[number]['levels'][number]['column'] | ColumnOf<M[number]>;
  dimension: D[number]['name'];
}

type Declaration<D extends Dimensions, M extends Measures> = Omit<DatasetInput, 'dimensions' | 'measures' | 'site'> & {
  dimensions: D;
  measures: M;
  site: NoInfer<TypedSiteInput<DeclaredNames<D, M>>>;
};

export function declareDataset<const D extends Dimensions, const M extends Measures>(declaration: Declaration<D, M>): DatasetInput {
  return declaration as unknown as DatasetInput;
}
