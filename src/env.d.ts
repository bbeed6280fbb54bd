/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** JSON of a SiteInput (src/lib/contract/site-input.ts), set by `npm run build`. */
  readonly SALESCUBE_SITE?: string;
}
