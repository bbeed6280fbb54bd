/**
 * Vitest global setup: every temporary folder of a test run (the tests' own, the pipeline's, DuckDB's spill,
 * Chromium's profiles) goes under one folder, removed when the run ends. A run writes over a gigabyte of builds
 * and sites; left behind in the system's temp folder, runs add up until the disk is full. Each project of the run
 * lists this setup; the first to run makes the folder and the others use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): (() => void) | undefined {
  if (process.env.SALESCUBE_TEST_ROOT) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'salescube-test-run-'));
  process.env.SALESCUBE_TEST_ROOT = root;
  // Read by os.tmpdir() in the test workers, which start after this, and by every process they start.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
