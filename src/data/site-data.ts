/**
 * Build-time access to the pipeline's outputs. The build points SALESCUBE_DATA at the pipeline's output
 * root; a plain `astro build`/`astro dev` reads the last published site in dist/.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the pipeline's outputs are read from at build time. */
export const dataRoot = () => resolve(process.env.SALESCUBE_DATA ?? 'dist');

export const readApi = <T>(dataset: string, file: string): T => JSON.parse(readFileSync(join(dataRoot(), 'api', dataset, file), 'utf8')) as T;
export const readData = <T>(dataset: string, file: string): T => JSON.parse(readFileSync(join(dataRoot(), 'data', dataset, file), 'utf8')) as T;
