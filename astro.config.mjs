// @ts-check
import { defineConfig } from 'astro/config';
import { modulePreload } from './src/integrations/module-preload.ts';

export default defineConfig({
  // Pages link to each other relatively, so the site works from any base path (e.g. GitHub Pages project sites).
  site: process.env.SALESCUBE_SITE,
  base: process.env.SALESCUBE_BASE ?? '/',
  trailingSlash: 'ignore',
  build: {
    format: 'directory',
    // No inline <style> or <script>: everything is a file, so a strict Content-Security-Policy holds.
    inlineStylesheets: 'never',
  },
  vite: { build: { assetsInlineLimit: 0 } },
  markdown: { syntaxHighlight: false },
  integrations: [modulePreload()],
  security: {
    csp: {
      directives: ["default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'"],
    },
  },
});
