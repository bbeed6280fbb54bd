/** Site-relative links that respect the deployment's base path (e.g. /salescube/ on GitHub Pages). */
export function withBase(base: string, path: string): string {
  return `${base.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}
