#!/usr/bin/env node
/**
 * The qgate command line: argv → options, verdict or error → exit code.
 * The only module that touches `process`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
// Cold start: `--version` and `--help` load only this file, the version, the format names and
// errors.ts; run.ts, the scorecard and the parsers are imported when a command needs them.
import { COVERAGE_FORMAT_NAMES as COVERAGE_FORMATS } from '../inputs/coverage/formats.js';
import { formatError, isQgateError, QgateError, type ExitCode } from '../errors.js';
import type { CoverageFormat } from '../model/coverage.js';
import type { CheckOptions } from '../run.js';
import { QGATE_VERSION } from '../version.js';

const HELP = `qgate ${QGATE_VERSION}: a quality gate for GitLab merge requests

Usage:
  qgate check [options]
  qgate scorecard (--group GROUP | --from DIR) [options]   (qgate scorecard --help)
  qgate scope [--format stryker|files|json]                (qgate scope --help)

Options:
  --config FILE       configuration (default: .qgate.yml when present)
  --preset NAME       preset to extend (default: the config's "extends", else "default")
  --out DIR           where report files go (default: qgate-report)
  --coverage FILE     coverage report (lcov, Cobertura, Clover, istanbul JSON); repeat for several
  --format FORMAT     force the format of the --coverage files (${COVERAGE_FORMATS.join(', ')})
  --base REF          diff base (default: CI_MERGE_REQUEST_TARGET_BRANCH_SHA in merged-results pipelines,
                      else CI_MERGE_REQUEST_DIFF_BASE_SHA, else merge base with origin/$CI_DEFAULT_BRANCH)
  --head REF          diff head (default: HEAD)
  --diff-file FILE    read the changed lines from a unified diff instead of git
  --cucumber FILE     Cucumber JSON, Cucumber Messages NDJSON or JUnit XML; repeat for several
  --k6 FILE           k6 results: --summary-export JSON, handleSummary JSON or --out json NDJSON
  --k6-baseline FILE  k6 results of the baseline run, in any of those formats
  --mutation FILE     mutation-testing-report-schema JSON (Stryker and others)
  --no-comment        do not post the merge request comment
  --no-discover       do not look for reports at the producers' default paths when none is given
  -h, --help          this help
  -v, --version       print the version

Exit codes: 0 gates pass, 1 a blocking gate failed, 2 usage or configuration error, 3 unreadable input or environment error.
`;

const CHECK_OPTIONS = {
  config: { type: 'string' },
  preset: { type: 'string' },
  out: { type: 'string', default: 'qgate-report' },
  coverage: { type: 'string', multiple: true, default: [] },
  format: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  'diff-file': { type: 'string' },
  cucumber: { type: 'string', multiple: true, default: [] },
  k6: { type: 'string' },
  'k6-baseline': { type: 'string' },
  mutation: { type: 'string' },
  'no-comment': { type: 'boolean', default: false },
  'no-discover': { type: 'boolean', default: false },
  comment: { type: 'boolean', default: true },
} satisfies ParseArgsConfig['options'];

function parseCheckOptions(args: string[]): CheckOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: CHECK_OPTIONS,
  });
  if (positionals.length > 0) throw new QgateError('USAGE', `unexpected argument "${positionals[0]}".`);
  if (values.format !== undefined && !COVERAGE_FORMATS.includes(values.format as CoverageFormat)) {
    throw new QgateError('USAGE', `--format must be one of ${COVERAGE_FORMATS.join(', ')} (got "${values.format}").`);
  }
  return {
    out: values.out,
    coverage: values.coverage,
    cucumber: values.cucumber,
    comment: values.comment && !values['no-comment'],
    ...(values['no-discover'] ? { discover: false } : {}),
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.preset !== undefined ? { preset: values.preset } : {}),
    ...(values.format !== undefined ? { format: values.format as CoverageFormat } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.head !== undefined ? { head: values.head } : {}),
    ...(values['diff-file'] !== undefined ? { diffFile: values['diff-file'] } : {}),
    ...(values.k6 !== undefined ? { k6: values.k6 } : {}),
    ...(values['k6-baseline'] !== undefined ? { k6Baseline: values['k6-baseline'] } : {}),
    ...(values.mutation !== undefined ? { mutation: values.mutation } : {}),
  };
}

async function main(argv: string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${QGATE_VERSION}\n`);
    return 0;
  }
  if (command === 'scorecard') {
    const { parseScorecardOptions, SCORECARD_HELP } = await import('./scorecard-args.js');
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(SCORECARD_HELP);
      return 0;
    }
    const context = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, now: () => new Date() };
    // Loaded on demand: `qgate check` never pays for the scorecard or gitbeaker.
    const { runScorecard } = await import('../scorecard/run-scorecard.js');
    return (await runScorecard(parseScorecardOptions(rest), context)).exitCode;
  }
  if (command === 'scope') return (await import('../scope/run-scope.js')).runScopeCommand(rest, { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
  if (command !== 'check') {
    const { suggestName } = await import('../text/suggest-name.js');
    const suggestion = suggestName(command, ['check', 'scorecard']);
    throw new QgateError('USAGE', `unknown command "${command}"${suggestion ? `; did you mean \`qgate ${suggestion}\`?` : ''} The commands are \`qgate check\` and \`qgate scorecard\`.`);
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  let options: CheckOptions;
  try {
    options = parseCheckOptions(rest);
  } catch (error) {
    if (isQgateError(error)) throw error;
    const { usageError } = await import('./usage-error.js');
    throw usageError(error, Object.keys(CHECK_OPTIONS));
  }
  const { runCheck } = await import('../run.js');
  const outcome = await runCheck(options, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
  });
  return outcome.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Exit at once: git may still be diffing in the background, and an error must not wait for
    // it (stderr writes to files and pipes are synchronous on POSIX, so nothing is lost).
    if (isQgateError(error)) {
      process.stderr.write(`${formatError(error)}\n`);
      process.exit(error.exitCode);
    }
    // A bug in qgate: say so plainly, without a stack trace unless asked for.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`qgate: internal error: ${message}\n  What to do: this is a bug in qgate; rerun with QGATE_DEBUG=1 for details and report it.\n`);
    if (process.env.QGATE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exit(3);
  },
);
