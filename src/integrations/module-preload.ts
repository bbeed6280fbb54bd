/**
 * Every page's module scripts announce the chunks they import, as `<link rel="modulepreload">` in its head. Without
 * them, the browser learns of a chunk only once the script importing it has arrived and been parsed, one round trip
 * per level of imports, each behind the page's own parsing (on the phone profile, the dashboard's code arrived 0.9 s
 * after its entry script). The bundler knows each chunk's imports; the pages are rewritten once built.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** The chunks `file` imports, directly or through others, each once. */
export function importsOf(file: string, graph: Map<string, string[]>, seen = new Set<string>()): string[] {
  for (const imported of graph.get(file) ?? []) {
    if (seen.has(imported)) continue;
    seen.add(imported);
    importsOf(imported, graph, seen);
  }
  return [...seen];
}

/** A page's HTML with a modulepreload link for each chunk its module scripts import, before its first script. */
export function withPreloads(html: string, base: string, graph: Map<string, string[]>): string {
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]!.slice(base.length));
  const chunks = [...new Set(scripts.flatMap((file) => importsOf(file, graph)))].filter((file) => !scripts.includes(file));
  if (!chunks.length) return html;
  const links = chunks.map((file) => `<link rel="modulepreload" href="${base}${file}">`).join('');
  return html.replace('<script type="module"', `${links}<script type="module"`);
}

export function modulePreload(): AstroIntegration {
  const graph = new Map<string, string[]>();
  let base = '/';
  return {
    name: 'salescube:module-preload',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'salescube:chunk-imports',
                generateBundle(_options, bundle) {
                  for (const output of Object.values(bundle)) if (output.type === 'chunk') graph.set(output.fileName, output.imports);
                },
              },
            ],
          },
        });
      },
      'astro:build:done': async ({ dir, pages }) => {
        for (const { pathname } of pages) {
          const file = fileURLToPath(new URL(`${pathname}${pathname === '' || pathname.endsWith('/') ? '' : '/'}index.html`, dir));
          const html = await readFile(file, 'utf8').catch(() => undefined);
          if (html !== undefined) await writeFile(file, withPreloads(html, base, graph));
        }
      },
    },
  };
}
