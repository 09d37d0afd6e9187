/** What `qgate check` is given: the command line's options and the process's context. */
import type { CoverageFormat } from '../model/coverage.js';

export interface RunContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now: () => Date;
  /** Waits between GitLab retries (default: real time); tests inject one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CheckOptions {
  config?: string;
  preset?: string;
  out: string;
  coverage: string[];
  format?: CoverageFormat;
  base?: string;
  head?: string;
  diffFile?: string;
  /** Cucumber JSON / Messages NDJSON / JUnit XML reports; several merge. */
  cucumber: string[];
  k6?: string;
  k6Baseline?: string;
  mutation?: string;
  comment: boolean;
  /** Look for reports at the producers' default paths when none is named (default true; `--no-discover`). */
  discover?: boolean;
}
