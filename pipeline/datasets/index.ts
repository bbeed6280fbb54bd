import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetSpec, type DatasetInput, type DatasetSpec } from '../../src/lib/dataset-spec.ts';
import { UserError } from '../errors.ts';
import { cars } from './cars/dataset.ts';
import { sales } from './sales/dataset.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface Dataset {
  spec: DatasetSpec;
  /** Folder of the dataset's SQL models and their checks. */
  modelsDir: string;
}

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
  if (!input) throw new UserError(`unknown dataset "${name}"`, {}, `use one of: ${datasetNames.join(', ')}`);
  return defineDataset(input, join(here, name, 'models'));
}
