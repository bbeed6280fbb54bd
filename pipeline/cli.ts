/**
 * The command line (`npm run build`, `npm run pipeline`, `npm run check`; usage in commands.ts). V8 keeps the code it
 * compiles for the modules below (DuckDB's bindings, Arrow, zod: half a second to load) in the system's temporary
 * folder, so a run after the first starts about 0.15 s sooner. Enabled before they are imported, hence the dynamic
 * import.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./commands.ts');
