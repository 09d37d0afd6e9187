/**
 * How qgate sends one HTTP request to GitLab: a per-attempt timeout, retries with back-off on
 * 429 and 5xx that honour `Retry-After`, and one time budget for the whole run.
 *
 * @gitbeaker/rest's own request handler retries 429 and 502 ten times within ~250 ms and
 * ignores `Retry-After` (docs/design.md, "Rules the code follows"), which hammers a rate limiter instead of
 * waiting for it, so the adapter hands gitbeaker this handler instead. Everything else
 * (endpoints, query encoding, pagination over `Link` headers) stays gitbeaker's.
 *
 * The token travels only in the request headers it is given: no message built here ever
 * contains a header, and every text taken from a response is passed through `redact`.
 */
import { tokenDefect } from '../ci-env.js';
import { QgateError } from '../errors.js';

/** Statuses worth another attempt: the rate limiter and a server or proxy that may recover. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * A POST is retried only where GitLab surely did not act on it: the rate limiter's 429, a 503,
 * or a connection that was never made. After a timeout, 500, 502 or 504 the note may exist
 * already, and a second POST would post it twice.
 */
const RETRYABLE_POST_STATUSES = new Set([429, 503]);
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_NETWORK_ATTEMPTS = 3;

/** The path as a reader knows it (`qgate-report/result.json`, not `qgate-report%2Fresult.json`). */
function readablePath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}

/** A response larger than this is refused rather than buffered (a result.json is far smaller). */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export interface TransportPolicy {
  /** Per attempt, in milliseconds. */
  requestTimeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First back-off in milliseconds when the server gives no `Retry-After`; doubles per attempt. */
  backoffMs: number;
  /** The longest `Retry-After` qgate will honour, in milliseconds; a longer one ends the retries. */
  maxRetryAfterMs: number;
  /** The largest body read, in bytes; default `MAX_RESPONSE_BYTES`. Counted as it streams in. */
  maxResponseBytes?: number;
}

export const DEFAULT_POLICY: TransportPolicy = {
  requestTimeoutMs: 15_000,
  maxAttempts: 5,
  backoffMs: 500,
  maxRetryAfterMs: 60_000,
};

/**
 * Shared by every request of a run: once GitLab could not be reached at all (refused, no
 * answer), later requests fail at once with the same error instead of each waiting again.
 */
export interface CircuitBreaker {
  tripped: GitLabRequestError | null;
}

/** Wall-clock limits shared by every request of one run. */
export interface TransportClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** `now()` value after which no request starts and no retry waits. */
  deadline: number;
  /**
   * The signal that ends one attempt after `ms` (headers and body alike); default
   * `AbortSignal.timeout`. Tests pass one they fire themselves, so a timeout costs no real time.
   */
  timeout?(ms: number): AbortSignal;
}

/**
 * - `not-gitlab`: a 2xx answer that is no GitLab API answer (an HTML sign-in page, an empty or
 *   untyped body where JSON was due);
 * - `bad-body`: JSON that does not parse; `bad-shape`: JSON of the wrong shape for the endpoint;
 * - `pagination`: next-page links without end, or pointing back to a page already read.
 * A token that cannot be sent is no request failure: it is refused before any (`refuseToken`).
 */
export type GitLabFailureKind =
  | 'http'
  | 'network'
  | 'timeout'
  | 'budget'
  | 'redirect'
  | 'too-large'
  | 'bad-body'
  | 'not-gitlab'
  | 'bad-shape'
  | 'pagination';

/**
 * A request that did not succeed. `status` is GitLab's answer when there was one. The message
 * names the method and the endpoint path (never the query or headers) and GitLab's own words.
 */
export class GitLabRequestError extends Error {
  readonly kind: GitLabFailureKind;
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  /** GitLab's `message`/`error` text, or the plain-text body, shortened and redacted. */
  readonly description: string;
  readonly attempts: number;

  constructor(kind: GitLabFailureKind, init: { status: number | null; method: string; path: string; description: string; attempts: number }) {
    // GitLab's messages often start with the status already ("401 Unauthorized").
    const answer =
      init.status === null || init.description.startsWith(String(init.status)) ? init.description : `${init.status}${init.description ? ` ${init.description}` : ''}`;
    const after = init.attempts > 1 ? ` (after ${init.attempts} attempts)` : '';
    // Something other than GitLab answered: say that first, the endpoint after.
    super(kind === 'not-gitlab' ? `GitLab answered with ${init.description} for ${init.method} ${init.path}${after}` : `${init.method} ${init.path}: ${answer}${after}`);
    this.name = 'GitLabRequestError';
    this.kind = kind;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.description = init.description;
    this.attempts = init.attempts;
  }
}

/** What gitbeaker's request helpers expect back from a request handler. */
export interface TransportResponse {
  body: unknown;
  headers: Record<string, string>;
  status: number;
}

export interface TransportRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | FormData;
  asStream?: boolean;
  /**
   * What a successful answer must be: `json` (an API object or list: any other content type is
   * refused before its body is read), `file` (a raw file: anything but an HTML page). Default:
   * taken as it comes.
   */
  expect?: 'json' | 'file';
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** One line of GitLab's error body: `{"message": ...}`, `{"error": ...}` or plain text (the rate limiter's `Retry later`). */
export function describeErrorBody(text: string, contentType: string | null, redact: (text: string) => string = (value) => value): string {
  // Secrets go before anything is shortened: a token cut in half no longer matches.
  let description = redact(text);
  if (contentType?.includes('json')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown; error_description?: unknown };
      const value = parsed.message ?? parsed.error_description ?? parsed.error ?? '';
      description = redact(typeof value === 'string' ? value : JSON.stringify(value));
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  // Proxies answer with whole HTML pages: keep one short line.
  description = description.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return description.length > 200 ? `${description.slice(0, 199)}…` : description;
}

/** Where a redirect points, as an origin only; never the path or query, which could carry anything. */
function originOf(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'an unreadable location';
  }
}

/** The body's bytes, refused past `limit` whether or not the answer declared its length. */
async function readBytes(response: Response, limit: number, tooLarge: (bytes: number, declared: boolean) => never): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    tooLarge(declared, true);
  }
  if (response.body === null) return new Uint8Array(new ArrayBuffer(0));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) {
      await response.body.cancel().catch(() => undefined);
      tooLarge(total, false);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** How much of an answer that is not what was asked for is read, to say what it is. */
const SNIFF_BYTES = 4096;

/**
 * GitLab's error bodies are a line of JSON; a proxy's error page can be anything. This much is
 * read to say what it was, the rest never.
 */
const ERROR_BODY_BYTES = 64 * 1024;

/** The first `limit` bytes of a body, then the rest cancelled (a 10 MB sign-in page is never buffered). */
async function readHead(response: Response, limit = SNIFF_BYTES): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } catch {
    // A body that breaks off still says what it was.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

function looksLikeHtml(contentType: string, head: string): boolean {
  return contentType === 'text/html' || contentType === 'application/xhtml+xml' || /^\s*<(!doctype html|html|head|body)\b/i.test(head);
}

/** What came back instead of GitLab's JSON, in a few words: "an HTML page (sign-in?)". */
export function describeForeignAnswer(contentType: string, head: string): string {
  if (looksLikeHtml(contentType, head)) {
    const title = /<title[^>]*>([^<]{1,80})/i.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
    return `an HTML page (sign-in?)${title ? ` titled "${title}"` : ''}`;
  }
  if (head.trim() === '') return `an empty answer${contentType ? ` (${contentType})` : ''}`;
  return contentType ? `${contentType} instead of JSON` : 'an answer without a content type instead of JSON';
}

/** The body as gitbeaker's own handler returns it: JSON parsed, text as a string, anything else as a Blob. */
async function readBody(response: Response, request: TransportRequest, attempts: number, redact: (text: string) => string, limit: number): Promise<unknown> {
  if (response.status === 204) return null;
  const path = readablePath(request.url);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = contentType === 'application/json' || contentType.endsWith('+json');
  if (request.expect === 'json' && !isJson) {
    const head = await readHead(response);
    throw new GitLabRequestError('not-gitlab', { status: response.status, method: request.method, path, description: redact(describeForeignAnswer(contentType, head)), attempts });
  }
  const bytes = await readBytes(response, limit, (size, declared) => {
    const description = declared ? `the answer declares ${size} bytes, more than the ${limit} qgate accepts` : `the answer passed the ${limit} bytes qgate accepts; the rest was not read`;
    throw new GitLabRequestError('too-large', { status: response.status, method: request.method, path, description, attempts });
  });
  if (request.expect === 'file' && looksLikeHtml(contentType, new TextDecoder().decode(bytes.subarray(0, SNIFF_BYTES)))) {
    throw new GitLabRequestError('not-gitlab', {
      status: response.status,
      method: request.method,
      path,
      description: redact(describeForeignAnswer(contentType, new TextDecoder().decode(bytes.subarray(0, SNIFF_BYTES)))),
      attempts,
    });
  }
  if (isJson) {
    const text = new TextDecoder().decode(bytes);
    if (text === '') {
      if (request.expect === 'json') throw new GitLabRequestError('not-gitlab', { status: response.status, method: request.method, path, description: 'an empty answer', attempts });
      return {};
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GitLabRequestError('bad-body', { status: response.status, method: request.method, path, description: 'the answer is not valid JSON', attempts });
    }
  }
  if (contentType.startsWith('text/')) return new TextDecoder().decode(bytes);
  return new Blob([bytes]);
}

function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers.entries());
}

/**
 * Sends `request`, retrying where GitLab or the network may recover, within `clock.deadline`.
 * `redact` removes secrets from any text that came from the server before it is kept.
 */
export async function sendWithPolicy(
  request: TransportRequest,
  policy: TransportPolicy,
  clock: TransportClock,
  redact: (text: string) => string,
  breaker: CircuitBreaker = { tripped: null },
): Promise<TransportResponse> {
  const path = readablePath(request.url);
  if (breaker.tripped) {
    throw new GitLabRequestError(breaker.tripped.kind, {
      status: null,
      method: request.method,
      path,
      description: `not tried: GitLab could not be reached earlier in this run (${breaker.tripped.description})`,
      attempts: 0,
    });
  }
  const idempotent = request.method !== 'POST';
  const failure = (kind: GitLabFailureKind, status: number | null, description: string, attempts: number): GitLabRequestError =>
    new GitLabRequestError(kind, { status, method: request.method, path, description: redact(description), attempts });
  const fail = (kind: GitLabFailureKind, status: number | null, description: string, attempts: number): never => {
    throw failure(kind, status, description, attempts);
  };
  for (let attempt = 1; ; attempt += 1) {
    const remaining = clock.deadline - clock.now();
    if (remaining <= 0) fail('budget', null, 'the time budget for GitLab requests is spent', attempt - 1);
    const timeoutMs = Math.min(policy.requestTimeoutMs, remaining);
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        // A redirect to another host would carry the token there: follow none.
        redirect: 'manual',
        signal: clock.timeout ? clock.timeout(timeoutMs) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const description = timedOut ? `no answer within ${Math.round(timeoutMs / 100) / 10} s` : `cannot connect${cause ? ` (${cause})` : ''}`;
      const mayRetry = idempotent || (!timedOut && cause !== undefined && NOT_SENT_CODES.has(cause));
      const wait = policy.backoffMs * 2 ** (attempt - 1);
      // A network that fails three times running is down: no point in waiting longer.
      if (attempt >= Math.min(policy.maxAttempts, MAX_NETWORK_ATTEMPTS) || !mayRetry || clock.now() + wait >= clock.deadline) {
        breaker.tripped = failure(timedOut ? 'timeout' : 'network', null, description, attempt);
        throw breaker.tripped;
      }
      await clock.sleep(wait);
      continue;
    }
    if (response.ok) {
      if (request.asStream) return { body: response.body, headers: headersOf(response), status: response.status };
      let body: unknown;
      try {
        body = await readBody(response, request, attempt, redact, policy.maxResponseBytes ?? MAX_RESPONSE_BYTES);
      } catch (error) {
        if (error instanceof GitLabRequestError) throw error;
        // The per-attempt timeout also covers the body: a server that drips its answer byte by
        // byte is cut off like one that never answers. Not retried: it was answering, slowly.
        const name = (error as Error).name;
        const timedOut = name === 'TimeoutError' || name === 'AbortError';
        fail(timedOut ? 'timeout' : 'network', response.status, timedOut ? `the answer was still arriving after ${Math.round(timeoutMs / 100) / 10} s` : 'the answer broke off', attempt);
      }
      return { body, headers: headersOf(response), status: response.status };
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      fail('redirect', response.status, `GitLab redirected${location ? ` to ${originOf(location, request.url)}` : ''}; qgate follows no redirect`, attempt);
    }
    const text = await readHead(response, ERROR_BODY_BYTES);
    const description = describeErrorBody(text, response.headers.get('content-type'), redact);
    const retryable = idempotent ? RETRYABLE_STATUSES : RETRYABLE_POST_STATUSES;
    if (!retryable.has(response.status) || attempt >= policy.maxAttempts) fail('http', response.status, description, attempt);
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) fail('http', response.status, `${description} (GitLab asks to wait ${Math.ceil(retryAfter / 1000)} s)`, attempt);
    const wait = retryAfter ?? policy.backoffMs * 2 ** (attempt - 1);
    if (clock.now() + wait >= clock.deadline) fail('budget', response.status, `${description}; waiting ${Math.ceil(wait / 1000)} s more would pass the time budget`, attempt);
    await clock.sleep(wait);
  }
}

/**
 * Why a token cannot be sent ("the token contains a line break"), or null when it can; the
 * classifier is src/ci-env.ts's, which refuses such a token as it reads it. The API clients
 * check again, since they are handed a token, not the environment.
 */
export function tokenProblem(token: string): string | null {
  const defect = tokenDefect(token);
  return defect === null ? null : `the token contains ${defect}`;
}

/** The QgateError for a token that cannot be sent, thrown before any request. */
export function refuseToken(problem: string): QgateError {
  return new QgateError('GITLAB_TOKEN_INVALID', `${problem}, so it cannot be sent to GitLab.`);
}

/** Replaces every occurrence of the token (and its URL-encoded form) in a text. */
export function createRedactor(token: string): (text: string) => string {
  const secrets = [token, encodeURIComponent(token)].filter((secret, index, all) => secret.length >= 4 && all.indexOf(secret) === index);
  return (text) => secrets.reduce((result, secret) => result.split(secret).join('[token]'), text);
}
