import { describe, expect, it } from 'vitest';
import { importsOf, withPreloads } from '../../src/integrations/module-preload.ts';

const graph = new Map([
  ['_astro/entry.js', ['_astro/dashboard.js']],
  ['_astro/dashboard.js', ['_astro/format.js', '_astro/arrow.js']],
  ['_astro/format.js', []],
  ['_astro/arrow.js', ['_astro/format.js']],
  ['_astro/theme.js', []],
]);

describe('module preloads', () => {
  it('follows imports through chunks, each once', () => {
    expect(importsOf('_astro/entry.js', graph).sort()).toEqual(['_astro/arrow.js', '_astro/dashboard.js', '_astro/format.js']);
    expect(importsOf('_astro/theme.js', graph)).toEqual([]);
  });

  it('announces every chunk a page imports before its first script, under the base path', () => {
    const html = '<head><script type="module" src="/site/_astro/theme.js"></script><script type="module" src="/site/_astro/entry.js"></script></head>';
    const out = withPreloads(html, '/site/', graph);
    const links = [...out.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
    expect(links.sort()).toEqual(['/site/_astro/arrow.js', '/site/_astro/dashboard.js', '/site/_astro/format.js']);
    expect(out.indexOf('modulepreload')).toBeLessThan(out.indexOf('<script'));
  });

  it('leaves a page without imports as it is', () => {
    const html = '<head><script type="module" src="/_astro/theme.js"></script></head>';
    expect(withPreloads(html, '/', graph)).toBe(html);
  });
});
