/**
 * An HTTP(S) input, fetched whole into a file before anything reads it: a response cut short, a server error or no
 * answer in time is retried with backoff and then stops the build naming the URL, so a table is never half read. The
 * next build asks with the response's ETag or Last-Modified, and an unchanged source is not downloaded again.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.ts';

export interface Downloaded {
  path: string;
  /** The response's media type (`text/csv`, `application/json`), without its parameters. */
  type: string;
  /** The body's sha256, taken as it was written (kept for a 304: an unchanged source is not read again). */
  sha256: string;
}

export interface DownloadOptions {
  /** For each attempt, from the request until the whole body has arrived. */
  timeoutMs: number;
  attempts: number;
  /** Before the second attempt; doubled before each later one. */
  backoffMs: number;
}

export const isUrl = (input: string) => /^https?:\/\//i.test(input);

/** From the environment (SALESCUBE_HTTP_TIMEOUT_MS, SALESCUBE_HTTP_ATTEMPTS), else a minute and three attempts. */
export function downloadOptions(env: NodeJS.ProcessEnv = process.env): DownloadOptions {
  return { timeoutMs: Number(env.SALESCUBE_HTTP_TIMEOUT_MS ?? 60_000), attempts: Number(env.SALESCUBE_HTTP_ATTEMPTS ?? 3), backoffMs: 500 };
}

/** A failure worth another attempt (the server or the network), or one that will not change (a 404). */
class Failed extends Error {
  readonly retry: boolean;

  constructor(message: string, retry: boolean) {
    super(message);
    this.retry = retry;
  }
}

export async function download(url: string, dest: string, options: DownloadOptions): Promise<Downloaded> {
  let last: Failed | undefined;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, options.backoffMs * 2 ** (attempt - 2)));
    try {
      return await fetchOnce(url, dest, options.timeoutMs);
    } catch (error) {
      last = error instanceof Failed ? error : new Failed(reasonOf(error, options.timeoutMs), true);
      if (!last.retry) break;
    }
  }
  const tries = options.attempts > 1 && last!.retry ? ` (${options.attempts} attempts)` : '';
  throw new UserError(
    `${last!.message}${tries}; nothing was read from it`,
    { file: url },
    last!.retry ? 'check that the server is up and the URL is right (e.g. with curl), then build again' : 'check the URL, and that it needs no login the build does not have',
  );
}

/** What the server said of the last download in `dest`, kept beside it: asked again, it may answer "not modified". */
interface Validators {
  url: string;
  type: string;
  sha256: string;
  etag?: string;
  lastModified?: string;
}
const validatorsFile = (dest: string) => `${dest}.http.json`;

function previousDownload(url: string, dest: string): Validators | undefined {
  try {
    const v = JSON.parse(readFileSync(validatorsFile(dest), 'utf8')) as Validators;
    return v.url === url && v.sha256 && existsSync(dest) && (v.etag || v.lastModified) ? v : undefined;
  } catch {
    return undefined;
  }
}

async function fetchOnce(url: string, dest: string, timeoutMs: number): Promise<Downloaded> {
  const signal = AbortSignal.timeout(timeoutMs);
  // The last download's ETag or Last-Modified: an unchanged source answers 304 and is not sent again.
  const before = previousDownload(url, dest);
  const headers: Record<string, string> = {};
  if (before?.etag) headers['if-none-match'] = before.etag;
  if (before?.lastModified) headers['if-modified-since'] = before.lastModified;
  const response = await fetch(url, { signal, redirect: 'follow', headers });
  if (response.status === 304 && before) {
    await response.body?.cancel();
    return { path: dest, type: before.type, sha256: before.sha256 };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const retry = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new Failed(`the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, retry);
  }
  const expected = Number(response.headers.get('content-length') ?? NaN);
  const partial = `${dest}.part`;
  let received = 0;
  const hash = createHash('sha256');
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      async function* (chunks) {
        for await (const chunk of chunks as AsyncIterable<Buffer>) {
          received += chunk.length;
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
    // Without compression the length is the body's; a body that ends early without an error is still cut short.
    if (Number.isFinite(expected) && !response.headers.get('content-encoding') && received !== expected) {
      throw new Failed(`the response was cut short: ${received} of ${expected} bytes`, true);
    }
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof Failed) throw error;
    throw new Failed(signal.aborted ? reasonOf(error, timeoutMs) : `the response was cut short after ${received}${Number.isFinite(expected) ? ` of ${expected}` : ''} bytes`, true);
  }
  await rename(partial, dest);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const sha256 = hash.digest('hex');
  const validators: Validators = { url, type, sha256, ...(response.headers.get('etag') ? { etag: response.headers.get('etag')! } : {}), ...(response.headers.get('last-modified') ? { lastModified: response.headers.get('last-modified')! } : {}) };
  await writeFile(validatorsFile(dest), JSON.stringify(validators));
  return { path: dest, type, sha256 };
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no complete answer within ${timeoutMs / 1000} s`;
  return `cannot connect: ${e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)}`;
}
