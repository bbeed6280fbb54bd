/**
 * The manifest (data/<dataset>/manifest.json): what the pipeline published for a dataset and everything the site
 * is built from besides the data files: the declaration as parsed, each table with its kind, columns and files, the
 * browser's Arrow files, and each model's own note.
 */
import { z } from 'zod';
import { datasetSpec, MODEL_LAYERS } from './declaration.ts';

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

/** The mart as cube cells, when it was too large to ship as rows (see pipeline/export/browser-cube.ts). */
export const browserCube = z.object({
  rows: z.number(),
  cells: z.number(),
  timeGrain: z.enum(['week', 'month']),
  medianResolution: z.number(),
  columns: z.array(z.string()),
  leftOut: z.array(z.object({ column: z.string(), members: z.number() })),
});

export const manifest = z.object({
  dataset: z.string(),
  title: z.string(),
  declaration: datasetSpec,
  inputs: z.array(z.object({ file: z.string(), sha256: z.string(), bytes: z.number() })),
  tables: z.array(tableEntry),
  arrow: z.record(z.string(), fileEntry),
  browserCube: browserCube.optional(),
  /** Why the browser got neither rows nor cells (the site then cannot be built for this input). */
  browserRefusal: z.string().optional(),
  /** What each model does, in its own words: the leading comment of its SQL. */
  modelNotes: z.array(z.object({ model: z.string(), note: z.string() })),
  api: z.array(z.string()),
});

export type FileEntry = z.infer<typeof fileEntry>;
export type TableKind = (typeof TABLE_KINDS)[number];
export type TableEntry = z.infer<typeof tableEntry>;
export type BrowserCube = z.infer<typeof browserCube>;
export type Manifest = z.infer<typeof manifest>;
