/**
 * The manifest (data/<dataset>/manifest.json): what the pipeline published for a dataset and everything the site
 * is built from besides the data files: the declaration as parsed, each table with its kind, columns and files, the
 * browser's Arrow files, and each model's own note.
 */
import { z } from 'zod';
import { datasetSpec, MODEL_LAYERS } from './declaration.ts';
import { detailData, pageData } from './page-data.ts';

export const fileEntry = z.object({ path: z.string(), bytes: z.number(), sha256: z.string() });

/** What a table is: its model's declared layer, or what the pipeline made it as. */
export const TABLE_KINDS = ['staging', ...MODEL_LAYERS, 'slice', 'rejects'] as const;

export const tableEntry = z.object({
  name: z.string(),
  kind: z.enum(TABLE_KINDS),
  rows: z.number(),
  /** The data dictionary: every column with its type and what it holds. */
  columns: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
  files: z.record(z.string(), fileEntry),
});

export const manifest = z.object({
  dataset: z.string(),
  title: z.string(),
  declaration: datasetSpec,
  inputs: z.array(z.object({ file: z.string(), sha256: z.string(), bytes: z.number() })),
  tables: z.array(tableEntry),
  /**
   * Arrow files the site reads: the slices (a chart of a level a page's cells leave out is drawn from its dimension's
   * slice) and each member page's records (recordsTable).
   */
  arrow: z.record(z.string(), fileEntry),
  /** Each dashboard page's cells (and the explorer's). */
  pages: z.array(pageData),
  /** Per filter column the pages' cells leave out, its cells split by member (empty when they leave none out). */
  details: z.array(detailData),
  /** What each model does, in its own words: the leading comment of its SQL. */
  modelNotes: z.array(z.object({ model: z.string(), note: z.string() })),
  api: z.array(z.string()),
});

export type FileEntry = z.infer<typeof fileEntry>;
export type TableKind = (typeof TABLE_KINDS)[number];
export type TableEntry = z.infer<typeof tableEntry>;
export type Manifest = z.infer<typeof manifest>;
