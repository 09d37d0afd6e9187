/**
 * A run's connection to GitLab: the pipeline context, the port, and how GitLab failures are
 * told to the user. No request is made here.
 */
import type { GitLabConfig } from '../config/types.js';
import { QgateError, type ErrorCode } from '../errors.js';
import { readCiContext, readToken, type GitLabCiContext } from './ci-env.js';
import type { GitLabPort } from './port.js';
import { createRedactor, DEFAULT_POLICY, GitLabRequestError } from './transport.js';

export interface GitLabSession {
  ci: GitLabCiContext;
  /** null when qgate cannot talk to GitLab; `unavailable` says why. */
  port: GitLabPort | null;
  /**
   * The same API for the baseline search, held to half the time budget, so that a slow walk
   * through the target branch's pipelines cannot leave the comment no time.
   */
  baselinePort: GitLabPort | null;
  /** Removes the token from a text (a no-op without one). */
  redact: (text: string) => string;
  /** Why there is no port: outside GitLab CI (null) or a missing token. */
  unavailable: QgateError | null;
  /** The variable the token came from, for messages. */
  tokenVariable: string | null;
}

/** Loads gitbeaker only when there is a GitLab to talk to: local runs never pay for it. */
/** `sleep` waits between retries; tests pass one that records the wait and returns at once. */
export async function openGitLabSession(
  env: Readonly<Record<string, string | undefined>>,
  config: GitLabConfig,
  now: () => number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  /** The CI variables as the run parsed them once (src/ci-env.ts); parsed from `env` when absent. */
  ci: GitLabCiContext = readCiContext(env),
): Promise<GitLabSession> {
  // A token with a line break inside is refused by readToken; outside GitLab CI it is not used,
  // so a local run with a broken GITLAB_TOKEN in the shell is not stopped by it.
  let token: ReturnType<typeof readToken>;
  let refused: QgateError | null = null;
  try {
    token = readToken(env);
  } catch (error) {
    if (!(error instanceof QgateError)) throw error;
    token = null;
    refused = error;
  }
  const redact = token === null ? (text: string) => text : createRedactor(token.token);
  const none = { ci, port: null, baselinePort: null, redact, tokenVariable: null };
  if (ci.apiUrl === null || ci.projectId === null) return { ...none, unavailable: null };
  if (refused !== null) return { ...none, unavailable: refused };
  if (token === null) {
    return { ...none, unavailable: new QgateError('GITLAB_NO_TOKEN', 'neither QGATE_GITLAB_TOKEN nor GITLAB_TOKEN is set, so qgate cannot talk to GitLab.') };
  }
  const { createGitLabClient } = await import('./gitbeaker-adapter.js');
  const started = now();
  const breaker = { tripped: null };
  const client = (budgetMs: number): GitLabPort =>
    createGitLabClient({
      apiUrl: ci.apiUrl!,
      token: token.token,
      policy: { ...DEFAULT_POLICY, requestTimeoutMs: config.requestTimeoutSeconds * 1000 },
      clock: { now, sleep, deadline: started + budgetMs },
      breaker,
    });
  return { ci, port: client(config.budgetSeconds * 1000), baselinePort: client((config.budgetSeconds * 1000) / 2), unavailable: null, redact, tokenVariable: token.variable };
}

/** A GitLab failure as a catalogue error: what was being done, GitLab's answer, and what to check. */
export function describeGitLabFailure(error: unknown, doing: string, session: Pick<GitLabSession, 'tokenVariable' | 'redact' | 'ci'>): QgateError {
  const { tokenVariable, redact } = session;
  if (error instanceof GitLabRequestError && (error.kind === 'network' || error.kind === 'redirect')) {
    const where = session.ci.apiUrl ?? 'CI_API_V4_URL';
    return new QgateError('GITLAB_UNAVAILABLE', redact(`${doing} failed: ${error.message}.`), {
      hint:
        error.kind === 'redirect'
          ? `Set CI_API_V4_URL to GitLab's final API address (${where} redirects), so the token is never sent elsewhere.`
          : `Check that ${where} is GitLab's API address and that the runner can reach it (proxy, firewall, DNS).`,
    });
  }
  // Already a sentence for the user (a token refused before any request): told as it is.
  if (error instanceof QgateError) return error;
  if (!(error instanceof GitLabRequestError)) {
    // Not a request that failed but an answer qgate could not use: "did not answer in time" would mislead.
    return new QgateError('GITLAB_UNAVAILABLE', redact(`${doing} failed: ${error instanceof Error ? error.message : String(error)}.`), {
      hint: 'GitLab answered, but not as qgate expected: rerun the job; if it happens again, report it to qgate with this message.',
    });
  }
  const byStatus: Partial<Record<number, ErrorCode>> = { 401: 'GITLAB_AUTH', 403: 'GITLAB_FORBIDDEN', 404: 'GITLAB_NOT_FOUND' };
  const code: ErrorCode = (error.status !== null ? byStatus[error.status] : undefined) ?? 'GITLAB_UNAVAILABLE';
  const token = tokenVariable ?? 'the token';
  const lead = code === 'GITLAB_AUTH' ? `GitLab refused ${token}` : code === 'GITLAB_FORBIDDEN' ? `${token} may not do this` : `${doing} failed`;
  const hint = code === 'GITLAB_UNAVAILABLE' ? hintFor(error, session.ci.apiUrl ?? 'CI_API_V4_URL') : undefined;
  return new QgateError(code, redact(`${lead} (${error.message}).`), hint === undefined ? {} : { hint });
}

/** What to do, by what went wrong: a slow GitLab, a failing one, or something that is not GitLab. */
function hintFor(error: GitLabRequestError, apiUrl: string): string | undefined {
  switch (error.kind) {
    case 'timeout':
    case 'budget':
      return 'GitLab did not answer in time; rerun the job, or raise gitlab.budgetSeconds (and gitlab.requestTimeoutSeconds) if your instance is slow.';
    case 'not-gitlab':
    case 'bad-body':
    case 'bad-shape':
      return `Something that is not GitLab's API answered: check that CI_API_V4_URL (${apiUrl}) is GitLab's API address, and that no sign-in or SSO proxy stands between the runner and GitLab.`;
    case 'pagination':
      return 'GitLab (or a proxy in front of it) sent next-page links without end, so qgate stopped; ask your GitLab administrator to check the proxy\'s handling of the Link header.';
    case 'too-large':
      return `The answer was far larger than any GitLab answer qgate asks for: check that CI_API_V4_URL (${apiUrl}) is GitLab's API address.`;
    case 'http':
      if (error.status !== null && error.status >= 500) return `GitLab answered with a server error (${error.status}): GitLab or a proxy in front of it is failing; rerun the job later.`;
      if (error.status === 429) return 'GitLab\'s rate limiter kept refusing: rerun the job later, or ask your administrator about the rate limits for this token.';
      return `GitLab answered ${error.status ?? 'with an error'}; the message says why.`;
    default:
      return undefined;
  }
}
