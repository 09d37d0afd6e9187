/**
 * The scorecard's own GitLab client: GraphQL (`POST /api/graphql`) for the group walk and one
 * batched query per project, plain REST GETs for the few things GraphQL does not carry (one
 * artifact file, the feature-flag count, the README's last commit). Every request goes through
 * the transport's `sendWithPolicy` (timeouts, 429/5xx retries honouring `Retry-After`, the run's
 * time budget, redaction), and is paced by GitLab's `RateLimit-*` headers: when
 * `RateLimit-Remaining` falls to the number of requests that may be in flight, the next request
 * waits until `RateLimit-Reset` (https://docs.gitlab.com/user/gitlab_com/#rate-limits-on-gitlabcom).
 *
 * The token travels only in the `PRIVATE-TOKEN` header; every text taken from GitLab is redacted.
 */
import { shapeProblem, type ShapeName } from './response-shapes.js';
import { createRedactor, GitLabRequestError, refuseToken, sendWithPolicy, tokenProblem, type CircuitBreaker, type TransportClock, type TransportPolicy } from './transport.js';

export interface ScorecardApiOptions {
  /** `https://gitlab.example.com/api/v4` */
  apiUrl: string;
  token: string;
  policy: TransportPolicy;
  clock: TransportClock;
  /** Requests that may be in flight at once: pacing keeps that many in reserve. */
  inFlight: number;
}

export interface ScorecardApi {
  /** `shape`: what `data` must be (response-shapes.ts); an answer that does not fit is a `bad-shape` error naming what is wrong. */
  graphql<T>(query: string, variables: Record<string, unknown>, shape?: ShapeName): Promise<T>;
  /** A REST GET; `null` on 404. `headers` are GitLab's answer headers (lower-case). */
  get(path: string, expect: 'json' | 'file'): Promise<{ body: unknown; headers: Record<string, string> } | null>;
  /** Requests sent so far (each attempt counts). */
  readonly requests: number;
  /** Milliseconds spent waiting for the rate limit to reset. */
  readonly pacedMs: number;
}

/** `RateLimit-Reset` is a Unix time in seconds on GitLab; a small number is taken as seconds from now. */
export function rateLimitWait(headers: Record<string, string>, now: number, reserve: number): number {
  const remaining = Number(headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining'] ?? Number.NaN);
  if (!Number.isFinite(remaining) || remaining > reserve) return 0;
  const reset = Number(headers['ratelimit-reset'] ?? headers['x-ratelimit-reset'] ?? Number.NaN);
  if (!Number.isFinite(reset)) return 1000;
  const resetMs = reset > 1e9 ? reset * 1000 : now + reset * 1000;
  return Math.max(0, Math.min(resetMs - now, 60_000));
}

export function createScorecardApi(options: ScorecardApiOptions): ScorecardApi {
  const problem = tokenProblem(options.token);
  if (problem !== null) throw refuseToken(problem);
  const redact = createRedactor(options.token);
  const breaker: CircuitBreaker = { tripped: null };
  const root = options.apiUrl.replace(/\/+$/, '');
  const graphqlUrl = new URL(`${root.replace(/\/api\/v4$/, '')}/api/graphql`);
  let pauseUntil = 0;
  let requests = 0;
  let pacedMs = 0;

  const send = async (url: URL, init: { method: string; body?: string; expect: 'json' | 'file' }): Promise<{ body: unknown; headers: Record<string, string>; status: number }> => {
    const wait = pauseUntil - options.clock.now();
    if (wait > 0) {
      pacedMs += wait;
      await options.clock.sleep(wait);
    }
    requests += 1;
    const headers: Record<string, string> = { 'PRIVATE-TOKEN': options.token, accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await sendWithPolicy({ url, method: init.method, headers, ...(init.body !== undefined ? { body: init.body } : {}), expect: init.expect }, options.policy, options.clock, redact, breaker);
    const pause = rateLimitWait(response.headers, options.clock.now(), options.inFlight);
    if (pause > 0) pauseUntil = Math.max(pauseUntil, options.clock.now() + pause);
    return response;
  };

  return {
    get requests() {
      return requests;
    },
    get pacedMs() {
      return pacedMs;
    },
    async graphql<T>(query: string, variables: Record<string, unknown>, shape?: ShapeName): Promise<T> {
      const response = await send(graphqlUrl, { method: 'POST', body: JSON.stringify({ query, variables }), expect: 'json' });
      const body = response.body as { data?: T; errors?: Array<{ message?: string }> } | null;
      if (body?.errors && body.errors.length > 0) {
        throw new GitLabRequestError('bad-shape', { status: response.status, method: 'POST', path: '/api/graphql', description: redact(body.errors.map((error) => error.message ?? 'error').join('; ').slice(0, 300)), attempts: 1 });
      }
      if (!body || typeof body.data !== 'object' || body.data === null) {
        throw new GitLabRequestError('bad-shape', { status: response.status, method: 'POST', path: '/api/graphql', description: 'the answer has no `data`', attempts: 1 });
      }
      const problem = shape === undefined ? null : shapeProblem(shape, body.data, false);
      if (problem !== null) throw new GitLabRequestError('bad-shape', { status: response.status, method: 'POST', path: '/api/graphql', description: redact(problem), attempts: 1 });
      return body.data;
    },
    async get(path: string, expect: 'json' | 'file') {
      try {
        const response = await send(new URL(`${root}${path}`), { method: 'GET', expect });
        return { body: response.body, headers: response.headers };
      } catch (error) {
        if (error instanceof GitLabRequestError && error.status === 404) return null;
        throw error;
      }
    },
  };
}
