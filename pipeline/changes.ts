/**
 * A build compared with the previous published one: which sources were added, changed (other bytes), removed or
 * left as they were, each one's rows before and after, and the KPIs before → after (api/<dataset>/changes.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Changes, RowCounts } from '../src/lib/contract/changes.ts';
import type { Kpis } from '../src/lib/contract/kpis.ts';
import type { Manifest } from '../src/lib/contract/manifest.ts';
import { apiPath, dataPath, KPIS_FILE, MANIFEST_FILE, QUALITY_FILE } from '../src/lib/contract/paths.ts';
import type { FileAccount, Quality } from '../src/lib/contract/quality.ts';
import { formatCountChange } from '../src/lib/format.ts';

/** What a build published, as far as a comparison needs it. */
export interface Published {
  inputs: Manifest['inputs'];
  files: FileAccount[];
  measures: Kpis['measures'];
}

/** The build published under `outDir`, or undefined when there is none (a first build). */
export function readPublished(outDir: string, dataset: string): Published | undefined {
  const paths = [dataPath(dataset, MANIFEST_FILE), apiPath(dataset, QUALITY_FILE), apiPath(dataset, KPIS_FILE)].map((p) => join(outDir, p));
  if (!paths.every(existsSync)) return undefined;
  const [manifest, quality, kpis] = paths.map((p) => JSON.parse(readFileSync(p, 'utf8'))) as [Manifest, Quality, Kpis];
  return { inputs: manifest.inputs, files: quality.files, measures: kpis.measures };
}

const KEYS = ['read', 'loaded', 'rejected', 'duplicates'] as const;

const counts = (before: Partial<Record<(typeof KEYS)[number], number>> | undefined, after: Partial<Record<(typeof KEYS)[number], number>> | undefined): RowCounts =>
  Object.fromEntries(KEYS.map((k) => [k, { before: before?.[k] ?? null, after: after?.[k] ?? null }])) as RowCounts;

const sum = (files: FileAccount[]) => Object.fromEntries(KEYS.map((k) => [k, files.reduce((n, f) => n + f[k], 0)]));

/** This build against the previous one: sources in this build's order, then those it no longer reads. */
export function compareBuilds(dataset: string, before: Published | undefined, after: Published): Changes {
  const named = <T extends { file: string }>(list: T[]) => new Map(list.map((x) => [x.file, x]));
  const [inputsBefore, filesBefore, filesAfter] = [named(before?.inputs ?? []), named(before?.files ?? []), named(after.files)];
  const sources: Changes['sources'] = after.inputs.map((input) => {
    const old = inputsBefore.get(input.file);
    const status = !old ? 'added' : old.sha256 === input.sha256 ? 'unchanged' : 'changed';
    return { source: input.file, status, sha256: { before: old?.sha256 ?? null, after: input.sha256 }, rows: counts(filesBefore.get(input.file), filesAfter.get(input.file)) };
  });
  const now = new Set(after.inputs.map((i) => i.file));
  for (const input of before?.inputs ?? []) {
    if (!now.has(input.file)) sources.push({ source: input.file, status: 'removed', sha256: { before: input.sha256, after: null }, rows: counts(filesBefore.get(input.file), undefined) });
  }
  const names = [...new Set([...Object.keys(after.measures), ...Object.keys(before?.measures ?? {})])];
  return {
    dataset,
    previous: before !== undefined,
    sources,
    totals: counts(before && sum(before.files), sum(after.files)),
    measures: names.map((measure) => ({ measure, before: before?.measures[measure] ?? null, after: after.measures[measure] ?? null })),
  };
}

/** Whether a comparison found anything: a first build, a source or its rows, a figure. */
export function changed(c: Changes): boolean {
  const same = (x: { before: number | null; after: number | null }) => x.before === x.after;
  return !c.previous || c.sources.some((s) => s.status !== 'unchanged' || !Object.values(s.rows).every(same)) || !c.measures.every(same);
}

/** The comparison as Markdown, for a CI job's summary: a line, the sources, and the figures that moved. */
export function changesMarkdown(c: Changes, title: string): string {
  const lines = [`### ${title}: the last change to the data`, ''];
  if (!c.previous) lines.push('First build: nothing to compare with.', '');
  lines.push('| source | since the last build | read | loaded | rejected | duplicates |', '|---|---|---:|---:|---:|---:|');
  for (const s of c.sources) lines.push(`| ${s.source.replace(/\|/g, '\\|')} | ${s.status} | ${formatCountChange(s.rows.read)} | ${formatCountChange(s.rows.loaded)} | ${formatCountChange(s.rows.rejected)} | ${formatCountChange(s.rows.duplicates)} |`);
  const figures = c.measures.filter((m) => c.previous && m.before !== m.after);
  lines.push('', figures.length ? '| figure | before | after |\n|---|---:|---:|' : c.previous ? 'Headline figures: no change.' : '');
  for (const m of figures) lines.push(`| ${m.measure} | ${m.before ?? '–'} | ${m.after ?? '–'} |`);
  return `${lines.join('\n').trimEnd()}\n`;
}
