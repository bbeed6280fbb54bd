/**
 * What each model does and the rules it applies, in its own words: the comment at the top of its SQL file, read at
 * build time, so the Data quality page states the modelling rules (e.g. how condition grades are put on one scale)
 * exactly as the models apply them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../../pipeline/datasets/index.ts';

export interface ModelNote {
  model: string;
  note: string;
}

/** The leading `--` comment of a model's SQL as one paragraph ('' when it has none). */
export const leadingComment = (sql: string): string => {
  const lines: string[] = [];
  for (const line of sql.split(/\r?\n/)) {
    if (!line.startsWith('--')) break;
    lines.push(line.replace(/^--\s?/, '').trim());
  }
  return lines.join(' ');
};

export function modelNotes(dataset: string): ModelNote[] {
  const { spec } = loadDataset(dataset);
  // From the repository root, where the build runs: once bundled, this module no longer sits beside the pipeline.
  const modelsDir = resolve('pipeline', 'datasets', dataset, 'models');
  return spec.models
    .map((model) => ({ model, note: leadingComment(readFileSync(join(modelsDir, `${model}.sql`), 'utf8')) }))
    .filter((n) => n.note !== '');
}
