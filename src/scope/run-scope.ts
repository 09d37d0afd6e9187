/**
 * `qgate scope`: the merge request's changed source lines, in the forms mutation testers take.
 *
 * The changed lines come from the same machinery as `qgate check` (`--base`/`--head`, the MR's
 * merge base from the CI variables, or `--diff-file`), and are filtered by the same
 * configuration globs (`coverage.sources` minus `coverage.exclude`), so the mutants Stryker
 * runs are the ones the mutation gate later counts as new code.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import picomatch from 'picomatch';
import { loadConfig } from '../config/load-config.js';
import { readChangedLinesFromDiffFile } from '../diff/diff-file.js';
import { collectChangedLines } from '../diff/git-diff.js';
import { findRepoRoot } from '../diff/repo-root.js';
import { QgateError, type ExitCode } from '../errors.js';
import { relativeInside } from '../path-inside.js';
import { usageError } from '../cli/usage-error.js';
import { scopeChanges } from './changed-ranges.js';
import { formatScope, SCOPE_FORMATS, type ScopeFormat } from './format-scope.js';

export interface ScopeContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const SCOPE_HELP = `qgate scope: the merge request's changed source lines, for a diff-scoped mutation run

Usage:
  qgate scope [--format stryker|files|json] [options]

Options:
  --format FORMAT     stryker (default): "src/a.ts:10-24,src/b.ts:3-3", for \`stryker run --mutate\`
                      files: one changed source file a line; json: ranges, skipped files and why
  --config FILE       configuration (default: .qgate.yml when present); its coverage.sources and
                      coverage.exclude globs decide which changed files are source
  --preset NAME       preset to extend
  --base REF          diff base (default: as \`qgate check\`: the MR's merge base in CI)
  --head REF          diff head (default: HEAD)
  --diff-file FILE    read the changed lines from a unified diff instead of git
  -h, --help          this help

An MR without changed source lines prints nothing (exit 0): skip the mutation job then.
Exit codes: 0 scope printed, 2 usage or configuration error, 3 git or input error.
`;

const SCOPE_OPTIONS = {
  format: { type: 'string', default: 'stryker' },
  config: { type: 'string' },
  preset: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  'diff-file': { type: 'string' },
} satisfies ParseArgsConfig['options'];

export interface ScopeOptions {
  format: ScopeFormat;
  config?: string;
  preset?: string;
  base?: string;
  head?: string;
  diffFile?: string;
}

export function parseScopeOptions(args: string[]): ScopeOptions {
  let values;
  try {
    ({ values } = parseArgs({ args, allowPositionals: false, strict: true, options: SCOPE_OPTIONS }));
  } catch (error) {
    throw usageError(error, Object.keys(SCOPE_OPTIONS), 'Run `qgate scope --help` for the options.');
  }
  if (!SCOPE_FORMATS.includes(values.format as ScopeFormat)) {
    throw new QgateError('USAGE', `--format must be one of ${SCOPE_FORMATS.join(', ')} (got "${values.format}").`, { hint: 'Run `qgate scope --help` for the options.' });
  }
  return {
    format: values.format as ScopeFormat,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.preset !== undefined ? { preset: values.preset } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.head !== undefined ? { head: values.head } : {}),
    ...(values['diff-file'] !== undefined ? { diffFile: values['diff-file'] } : {}),
  };
}

function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs as string[]);
}

/** Computes and prints the scope; warnings (files that could not be scoped) go to stderr. */
export async function runScope(options: ScopeOptions, context: ScopeContext): Promise<ExitCode> {
  const found = await findRepoRoot(context.cwd, context.env);
  const repoRoot = found ?? (options.diffFile !== undefined ? context.cwd : null);
  if (repoRoot === null) throw new QgateError('GIT_NOT_A_REPO', `${context.cwd} is not inside a git repository.`);
  const configPath = options.config === undefined ? undefined : resolve(context.cwd, options.config);
  const { config } = await loadConfig({
    cwd: repoRoot,
    ...(configPath !== undefined ? { configPath: relativeInside(repoRoot, configPath) || configPath } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
  });
  const diff =
    options.diffFile !== undefined
      ? await readChangedLinesFromDiffFile(options.diffFile, resolve(context.cwd, options.diffFile))
      : await collectChangedLines({
          cwd: repoRoot,
          env: context.env,
          ...(options.base !== undefined ? { base: options.base } : {}),
          ...(options.head !== undefined ? { head: options.head } : {}),
        });
  const scope = scopeChanges(diff, { isSource: compileGlobs(config.coverage.sources), isExcluded: compileGlobs(config.coverage.exclude) });
  for (const warning of diff.warnings) context.stderr.write(`qgate scope: ${warning}\n`);
  for (const file of scope.skipped) {
    if (file.reason === 'glob-characters') {
      context.stderr.write(`qgate scope: ${file.path} is left out: its name has glob characters, which Stryker cannot combine with a line range.\n`);
    }
  }
  context.stdout.write(formatScope(scope, options.format));
  return 0;
}

/** The CLI's entry: `--help`, else parse and run. */
export async function runScopeCommand(args: string[], context: ScopeContext): Promise<ExitCode> {
  if (args.includes('-h') || args.includes('--help')) {
    context.stdout.write(SCOPE_HELP);
    return 0;
  }
  return runScope(parseScopeOptions(args), context);
}
