/**
 * What the site is built from: the folder holding the pipelines' outputs (data/<dataset>/, api/<dataset>/) and the
 * datasets to show, in order. `npm run build` passes it to Astro as import.meta.env.SALESCUBE_SITE (pipeline/commands.ts);
 * a plain `astro build` or `astro dev` shows every dataset of the last published site in dist/.
 */
export interface SiteInput {
  data: string;
  datasets: string[];
}
