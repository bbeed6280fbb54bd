/** Vitest global setup: the site over the shared outputs, built once for every site test (see shared.ts). */
import type { TestProject } from 'vitest/node';
import { sharedOutputs, sharedSite } from './shared.ts';

export default function setup(project: TestProject): void {
  project.provide('outputs', sharedOutputs());
  project.provide('site', sharedSite());
}
