/** Vitest global setup: the pipelines' outputs for the bundled samples and the fixture dataset (see shared.ts). */
import type { TestProject } from 'vitest/node';
import { sharedOutputs } from './shared.ts';

export default function setup(project: TestProject): void {
  project.provide('outputs', sharedOutputs());
}
