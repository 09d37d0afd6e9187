/**
 * The one catalogue of errors qgate reports. Every error a user can see comes from here:
 * a stable code, the exit code it maps to, and what to do about it. Messages read like
 * sentences and name the file and position when they are known.
 */

export type ExitCode = 0 | 1 | 2 | 3;

interface CatalogueEntry {
  exit: 2 | 3;
  /** What the user should do, in one sentence. */
  hint: string;
}

export const ERROR_CATALOGUE = {
  USAGE: { exit: 2, hint: 'Run `qgate --help` for the options.' },
  CONFIG_NOT_FOUND: { exit: 2, hint: 'Check the --config path, or remove the option to use the default preset.' },
  CONFIG_INVALID: { exit: 2, hint: 'Fix the keys listed above; every key, with its meaning and default, is in qgate\'s gates/default.yml.' },
  CONFIG_YAML: { exit: 2, hint: 'Fix the YAML syntax at the position shown.' },
  PRESET_UNKNOWN: { exit: 2, hint: 'Use one of the presets in the gates/ folder.' },
  INPUT_NOT_FOUND: { exit: 3, hint: 'Check the path, and that the job that writes it ran and passed it on as an artifact.' },
  INPUT_IS_DIRECTORY: { exit: 3, hint: 'Pass the report file itself, not its folder.' },
  INPUT_UNREADABLE: { exit: 3, hint: 'Check the file permissions.' },
  INPUT_EMPTY: { exit: 3, hint: 'The producer wrote nothing: check that the test step ran and wrote its report.' },
  INPUT_BINARY: { exit: 3, hint: 'Pass the text report (lcov, Cobertura XML, istanbul JSON), not a binary or compressed file.' },
  INPUT_UNKNOWN_FORMAT: { exit: 3, hint: 'Pass a supported report, or force its format with --format.' },
  INPUT_MALFORMED: { exit: 3, hint: 'Regenerate the report; a truncated file usually means the producer was killed mid-write.' },
  INPUT_DTD_FORBIDDEN: { exit: 3, hint: 'Remove the DOCTYPE internal subset: qgate never expands DTD entities.' },
  INPUT_TOO_DEEP: { exit: 3, hint: 'The document nests deeper than any real report does; regenerate it.' },
  GIT_NOT_A_REPO: { exit: 3, hint: 'Run qgate inside the repository checkout, or pass the changed lines with --diff-file.' },
  GIT_FAILED: { exit: 3, hint: 'Check that git is installed and the refs exist.' },
  GIT_BASE_MISSING: {
    exit: 3,
    hint: 'The clone is too shallow to contain the merge base: set `GIT_DEPTH: 0` (or a larger depth) in the job, or run `git fetch --unshallow origin` before qgate, or pass --diff-file.',
  },
  GIT_NO_BASE: {
    exit: 2,
    hint: 'Pass --base REF (or --diff-file), or run in a merge request pipeline where CI_MERGE_REQUEST_DIFF_BASE_SHA is set.',
  },
  DIFF_MALFORMED: { exit: 3, hint: 'Pass a unified diff as written by `git diff` or `diff -u`.' },
  OUTPUT_FAILED: { exit: 3, hint: 'Check that the --out folder is writable.' },
  GITLAB_NO_TOKEN: {
    exit: 3,
    hint: 'Add a project access token (role Reporter, scope api) as a masked CI/CD variable named QGATE_GITLAB_TOKEN; CI_JOB_TOKEN cannot write merge request notes.',
  },
  GITLAB_TOKEN_INVALID: {
    exit: 3,
    hint: 'Edit the CI/CD variable that holds the token (QGATE_GITLAB_TOKEN or GITLAB_TOKEN): paste the token alone, on one line, without spaces.',
  },
  GITLAB_AUTH: { exit: 3, hint: 'The token is wrong, expired or revoked: create a new project access token (scope api) and update the QGATE_GITLAB_TOKEN variable.' },
  GITLAB_FORBIDDEN: { exit: 3, hint: 'Give the token the api scope and at least the Reporter role in this project (a read_api token cannot write notes).' },
  GITLAB_NOT_FOUND: {
    exit: 3,
    hint: 'Check CI_PROJECT_ID and CI_MERGE_REQUEST_IID, and that the token belongs to this project (a project access token sees only its own project).',
  },
  GITLAB_UNAVAILABLE: { exit: 3, hint: 'GitLab did not answer in time; rerun the job, or raise gitlab.budgetSeconds if your instance is slow.' },
  RUBRIC_NOT_FOUND: { exit: 2, hint: 'Check the --rubric path, or remove the option to use qgate\'s gates/scorecard.yml.' },
  RUBRIC_YAML: { exit: 2, hint: 'Fix the YAML syntax at the position shown.' },
  RUBRIC_INVALID: { exit: 2, hint: 'Fix the keys listed above; gates/scorecard.yml documents every check type and its bars.' },
  SCORECARD_SOURCE_MISSING: { exit: 2, hint: 'Pass --group GROUP (with --gitlab-url or CI_API_V4_URL) or --from DIR.' },
  GITLAB_TOKEN_MISSING: { exit: 3, hint: 'Set QGATE_GITLAB_TOKEN (or GITLAB_TOKEN) to a token with read_api scope on the group.' },
  GITLAB_FAILED: { exit: 3, hint: 'Check the group path, the API URL and that the token can read the group; the message says what GitLab answered.' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface SourcePosition {
  line: number;
  column?: number;
}

export interface QgateErrorDetails {
  /** The file the problem is in, as the user named it. */
  file?: string;
  position?: SourcePosition;
  /** The format being read, when the error is about an input. */
  format?: string;
  /** Overrides the catalogue's hint. */
  hint?: string;
}

/** An error meant for the user: it carries its catalogue code and never prints a stack trace. */
export class QgateError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: 2 | 3;
  readonly file: string | undefined;
  readonly position: SourcePosition | undefined;
  readonly format: string | undefined;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, details: QgateErrorDetails = {}) {
    super(message);
    this.name = 'QgateError';
    this.code = code;
    this.exitCode = ERROR_CATALOGUE[code].exit;
    this.file = details.file;
    this.position = details.position;
    this.format = details.format;
    this.hint = details.hint ?? ERROR_CATALOGUE[code].hint;
  }
}

export function isQgateError(error: unknown): error is QgateError {
  return error instanceof QgateError;
}

/** `file:line:column` when known, for the start of a message. */
export function formatLocation(file: string | undefined, position: SourcePosition | undefined): string {
  if (file === undefined) return '';
  if (position === undefined) return file;
  return position.column === undefined ? `${file}:${position.line}` : `${file}:${position.line}:${position.column}`;
}

/** The one-paragraph rendering used on stderr; `warning` for a problem that does not stop the run. */
export function formatError(error: QgateError, severity: 'error' | 'warning' = 'error'): string {
  const where = formatLocation(error.file, error.position);
  const format = error.format ? ` (${error.format})` : '';
  const head = where ? `${where}${format}: ` : '';
  return `qgate: ${severity} ${error.code}: ${head}${error.message}\n  What to do: ${error.hint}`;
}
