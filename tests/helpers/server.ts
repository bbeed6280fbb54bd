import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/octet-stream',
};

/** What pages fetch (downloads are compressed when asked for). */
const PAGE_FILES = new Set(['.html', '.js', '.css', '.json', '.svg', '.arrow']);

/**
 * A static file server for a built site on a loopback port, as a static host would serve it; with `gzip`, it
 * compresses what it sends to a browser that accepts it, as hosts do (the benchmark's throttled phone counts the bytes
 * a phone receives). What pages fetch is compressed before the first request and kept, as a CDN keeps compressed
 * responses: compressing a megabyte per request would time this server, not the page.
 */
export async function serve(root: string, { gzip = false } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const gzipped = new Map<string, Buffer>();
  if (gzip) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile() && PAGE_FILES.has(extname(file))) gzipped.set(file, gzipSync(readFileSync(file)));
    }
  }
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (gzip && /\bgzip\b/.test(String(req.headers['accept-encoding']))) {
      const body = gzipped.get(file) ?? gzipSync(readFileSync(file));
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', 'content-length': body.length, vary: 'accept-encoding' });
      res.end(body);
    } else {
      res.writeHead(200, { 'content-type': type });
      createReadStream(file).pipe(res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
