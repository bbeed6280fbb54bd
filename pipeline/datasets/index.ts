/**
 * The datasets the project builds, each declared in pipeline/datasets/<name>/dataset.ts with its SQL models in
 * models/ beside it. A declaration elsewhere (one being tried, a test's fixture) is loaded from its file the same way.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datasetSpec, type DatasetInput, type DatasetSpec } from '../../src/lib/contract/declaration.ts';
import { UserError } from '../errors.ts';
import { cars } from './cars/dataset.ts';
import { sales } from './sales/dataset.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface Dataset {
  spec: DatasetSpec;
  /** Folder of the dataset's SQL models and their checks. */
  modelsDir: string;
}

/** The registered datasets, in the order the site lists them. */
const declared: Record<string, DatasetInput> = { sales, cars };

/** Validates a declaration once, so everything downstream works with complete, typed settings. */
export function defineDataset(input: DatasetInput, modelsDir: string): Dataset {
  const parsed = datasetSpec.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new UserError(`the declaration of dataset "${input.name}" is invalid:\n${issues}`);
  }
  return { spec: parsed.data, modelsDir };
}

export const datasetNames = Object.keys(declared);

export function loadDataset(name: string): Dataset {
  const input = declared[name];
  if (!input) throw new UserError(`unknown dataset "${name}"`, {}, `use one of: ${datasetNames.join(', ')}, or give its declaration with --declaration FILE`);
  return defineDataset(input, join(here, name, 'models'));
}

/** A declaration from its own file (the module's default export), with its models in models/ beside it. */
export async function loadDeclaration(file: string): Promise<Dataset> {
  const path = resolve(file);
  const module = (await import(pathToFileURL(path).href).catch((error: Error) => {
    throw new UserError(`cannot load the declaration: ${error.message.split('\n')[0]}`, { file }, 'give the path of a dataset.ts that exports its declaration as default');
  })) as { default?: DatasetInput };
  if (!module.default) throw new UserError('the file has no default export', { file }, 'end it with `export default declareDataset({ … })`');
  return defineDataset(module.default, join(dirname(path), 'models'));
}
