/**
 * The correctness pitfalls (docs/design.md, "Rules the code follows"), each on a real temporary git repository: a base
 * commit on `main`, an MR branch, coverage reports written (untracked) under coverage/, and
 * the built CLI run as a pipeline runs it. Where diff-cover 7.4.0 (Debian's /usr/bin/diff-cover)
 * is right, qgate must agree with it line for line; where it is wrong, the test shows both.
 *
 * Every repository is built at once in one beforeAll (git is mostly process start-up), and
 * diff-cover and the qgate runs the tests ask for run there too, so the tests only read results.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewCodeCoverage, NewCodeFile, QgateResult } from '../../src/model/result.js';
import {
  codeLines,
  coberturaReport,
  createRepo,
  editLines,
  lcovReport,
  removeRepos,
  runDiffCover,
  seededRandom,
  type DiffCoverReport,
  type FileChange,
  type GitRepo,
  type ReportedHits,
} from './git-repo.js';
import { CLI, expectNoStackTrace, readResult, runQgate, type CliRun } from './helpers.js';

// ---- fixtures and qgate runs, prepared concurrently -----------------------------------------

interface CheckRequest {
  repo: GitRepo;
  reports: string[];
  extra?: string[];
}

type Built<T> = { state: 'pending' } | { state: 'ok'; value: T } | { state: 'failed'; error: unknown };
const builds: Array<() => Promise<void>> = [];

/**
 * Registers a repository builder and the qgate runs its tests will ask for; the returned
 * accessor gives the built value inside a test. beforeAll builds every fixture at once and
 * runs the planned checks as soon as their repository is ready.
 */
function fixture<T>(build: () => Promise<T>, plan: (value: T) => CheckRequest[]): () => T {
  let built: Built<T> = { state: 'pending' };
  builds.push(async () => {
    try {
      const value = await build();
      built = { state: 'ok', value };
      await Promise.all(plan(value).map(prepareCheck));
    } catch (error) {
      if (built.state !== 'ok') built = { state: 'failed', error };
    }
  });
  return () => {
    if (built.state === 'ok') return built.value;
    // A broken fixture fails only the tests that use it.
    throw built.state === 'failed' ? built.error : new Error('fixture used before beforeAll built it');
  };
}

beforeAll(async () => {
  await Promise.all(builds.map((build) => build()));
});
afterAll(removeRepos);

// ---- running qgate -------------------------------------------------------------------------

/** What qgate runs with, besides runQgate's scrubbed environment: no user git config either. */
const QGATE_ENV = { GIT_CONFIG_GLOBAL: '/dev/null' };

function checkArgs(reports: string[], extra: string[]): string[] {
  return ['check', '--base', 'main', ...reports.flatMap((report) => ['--coverage', report]), ...extra];
}

/** Finished runs by repository and arguments; each has its own --out folder. */
const prepared = new Map<string, { run: CliRun; out: string }>();
let outFolders = 0;

/**
 * runQgate's twin for beforeAll: the same built CLI with the same environment, but
 * asynchronous, with one run per CPU at a time (2 to 4; each is a node process of ~65 MB).
 */
async function prepareCheck({ repo, reports, extra = [] }: CheckRequest): Promise<void> {
  const args = checkArgs(reports, extra);
  outFolders += 1;
  const out = `qgate-report/run-${outFolders}`;
  const run = await withSlot(
    () =>
      new Promise<CliRun>((resolve) => {
        const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', ...QGATE_ENV };
        execFile(process.execPath, [CLI, ...args, '--out', out], { cwd: repo.dir, encoding: 'utf8', timeout: 60_000, env }, (error, stdout, stderr) => {
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
        });
      }),
  );
  prepared.set(JSON.stringify([repo.dir, args]), { run, out });
}

const slots = Math.min(4, Math.max(2, availableParallelism()));
let busy = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (busy < slots) busy += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over, busy unchanged
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else busy -= 1;
  }
}

interface Check extends CliRun {
  /** The --out folder, relative to the repository. */
  out: string;
  result: QgateResult;
  newCode: NewCodeCoverage;
  files: Record<string, NewCodeFile>;
}

/**
 * `qgate check --base main --coverage R...` in the repository: the run beforeAll prepared for
 * these arguments, or (for a question no fixture planned) a run now with runQgate.
 */
function check(repo: GitRepo, reports: string[], extra: string[] = []): Check {
  const args = checkArgs(reports, extra);
  const { run, out } = prepared.get(JSON.stringify([repo.dir, args])) ?? {
    run: runQgate(repo.dir, [...args, '--out', 'qgate-report/now'], QGATE_ENV),
    out: 'qgate-report/now',
  };
  expectNoStackTrace(run.stderr);
  expect(run.stderr).toBe('');
  const result = readResult(repo.dir, out);
  const newCode = result.coverage?.newCode;
  if (!newCode) throw new Error(`result.json has no coverage:\n${run.stdout}`);
  return { ...run, out, result, newCode, files: Object.fromEntries(newCode.files.map((file) => [file.path, file])) };
}

function gateOf(result: QgateResult, id = 'new_code_coverage'): QgateResult['gates'][number] {
  const gate = result.gates.find((candidate) => candidate.id === id);
  if (!gate) throw new Error(`no gate ${id}`);
  return gate;
}

/** The line-level view of one file in result.json. */
function linesOf(file: NewCodeFile | undefined): Pick<NewCodeFile, 'status' | 'changedLines' | 'coveredLines' | 'uncoveredLines'> | undefined {
  if (!file) return undefined;
  const { status, changedLines, coveredLines, uncoveredLines } = file;
  return { status, changedLines, coveredLines, uncoveredLines };
}

/**
 * qgate and diff-cover agree: the same files with coverable changed lines, the same uncovered
 * lines in each, the same totals.
 */
function expectSameAsDiffCover(qgate: Check, diffCover: DiffCoverReport): void {
  const measured = qgate.newCode.files.filter((file) => file.coveredLines.length + file.uncoveredLines.length > 0);
  expect(Object.keys(diffCover.src_stats).sort()).toEqual(measured.map((file) => file.path).sort());
  for (const file of measured) {
    expect(diffCover.src_stats[file.path]?.violation_lines, file.path).toEqual(file.uncoveredLines);
  }
  expect(diffCover.total_num_lines).toBe(qgate.newCode.total);
  expect(diffCover.total_num_violations).toBe(qgate.newCode.total - qgate.newCode.covered);
  // The changed lines themselves, including files no report measured.
  expect(diffCover.num_changed_lines).toBe(qgate.result.diff.addedLines);
}

/** Hits for lines 1..count: 1 unless listed in `overrides`. */
function hits(count: number, overrides: Record<number, number> = {}): Record<number, number> {
  const out: Record<number, number> = {};
  for (let line = 1; line <= count; line += 1) out[line] = overrides[line] ?? 1;
  return out;
}

/** A repository with one base commit on main and an `mr` branch with one commit on top. */
async function mrRepo(name: string, base: Record<string, FileChange>, mr: Record<string, FileChange>): Promise<GitRepo> {
  const repo = await createRepo(name);
  await repo.commit('base', base);
  await repo.git('checkout', '-q', '-b', 'mr');
  await repo.commit('merge request', mr);
  return repo;
}

/** The runs of a fixture whose tests read the same MR from coverage/lcov.info and coverage/cobertura.xml. */
function bothFormats({ repo }: { repo: GitRepo }): CheckRequest[] {
  return [{ repo, reports: ['coverage/lcov.info'] }, { repo, reports: ['coverage/cobertura.xml'] }];
}

// ---- 1. renames ------------------------------------------------------------------------------

const CALC = codeLines(20, 'c');

const renames = fixture(async () => {
  const [pure, edited] = await Promise.all([
    mrRepo('rename-pure', { 'src/old-name.ts': codeLines(12, 'r') }, { 'src/old-name.ts': null, 'src/new-name.ts': codeLines(12, 'r') }),
    mrRepo(
      'rename-edited',
      { 'src/calc.ts': CALC },
      { 'src/calc.ts': null, 'src/lib/calc.ts': editLines(CALC, { 5: 'export const c5 = 500;', 12: 'export const c12 = 1200;' }) },
    ),
  ]);
  await pure.write({ 'coverage/lcov.info': lcovReport({ 'src/new-name.ts': hits(12, { 3: 0, 4: 0 }) }) });
  // Line 7 is uncovered but unchanged: it must not count.
  await edited.write({ 'coverage/lcov.info': lcovReport({ 'src/lib/calc.ts': hits(20, { 7: 0, 12: 0 }) }) });
  return { pure, edited, diffCover: await runDiffCover(edited, ['coverage/lcov.info'], 'rename') };
}, ({ pure, edited }) => [{ repo: pure, reports: ['coverage/lcov.info'] }, { repo: edited, reports: ['coverage/lcov.info'] }]);

describe('renamed files: only the lines the MR really changed are new code', () => {
  it('a pure rename adds no new line, so the gate is not applicable', () => {
    const run = check(renames().pure, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(run.newCode.files).toEqual([
      { path: 'src/new-name.ts', oldPath: 'src/old-name.ts', change: 'renamed', status: 'no-new-lines', changedLines: [], coveredLines: [], uncoveredLines: [] },
    ]);
    expect(run.newCode).toMatchObject({ covered: 0, total: 0, percent: null, unmeasuredFiles: [] });
    expect(run.result.diff).toMatchObject({ changedFiles: 1, addedLines: 0, deletedFiles: 0 });
    const gate = gateOf(run.result);
    expect(gate.status).toBe('skip');
    expect(gate.reason).toMatch(/^not applicable/);
  });

  it('a rename with 2 edited lines counts exactly those 2, under the new path', () => {
    const run = check(renames().edited, ['coverage/lcov.info']);
    expect(run.status).toBe(1);
    expect(Object.keys(run.files)).toEqual(['src/lib/calc.ts']);
    expect(run.files['src/lib/calc.ts']).toMatchObject({
      oldPath: 'src/calc.ts',
      change: 'renamed',
      status: 'measured',
      changedLines: [5, 12],
      coveredLines: [5],
      uncoveredLines: [12],
    });
    expect(run.newCode).toMatchObject({ covered: 1, total: 2, percent: 50 });
    expect(run.result.diff.deletedFiles).toBe(0);
    expect(gateOf(run.result)).toMatchObject({ status: 'fail', actual: 50 });
  });

  it('diff-cover agrees here (git detects renames by default, and it reads the new path)', () => {
    const run = check(renames().edited, ['coverage/lcov.info']);
    expectSameAsDiffCover(run, renames().diffCover);
  });
});

// ---- 2. copies -------------------------------------------------------------------------------

const PRICING = codeLines(16, 'p');
const TAX = codeLines(10, 't');

const copies = fixture(async () => {
  const repo = await mrRepo(
    'copy',
    { 'src/pricing.ts': PRICING, 'src/tax.ts': TAX },
    {
      // pricing.ts is modified in the MR, so git looks for copies of it...
      'src/pricing.ts': editLines(PRICING, { 2: 'export const p2 = 22;' }),
      'src/discount.ts': editLines(PRICING, { 3: 'export const d3 = 3;', 10: 'export const d10 = 10;' }),
      // ...but tax.ts is not, so a copy of it is an added file (git diff --find-copies, not --find-copies-harder).
      'src/tax-copy.ts': editLines(TAX, { 4: 'export const tc4 = 4;' }),
    },
  );
  await repo.write({
    'coverage/lcov.info': lcovReport({
      'src/pricing.ts': hits(16),
      'src/discount.ts': hits(16, { 10: 0, 11: 0 }),
      'src/tax-copy.ts': hits(10),
    }),
  });
  return { repo, diffCover: await runDiffCover(repo, ['coverage/lcov.info'], 'copy') };
}, ({ repo }) => [{ repo, reports: ['coverage/lcov.info'] }]);

describe('copied files: only the edited lines of a detected copy are new code', () => {
  it('counts the 2 edited lines of a copy of a file the MR also modifies', () => {
    const run = check(copies().repo, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(run.files['src/discount.ts']).toMatchObject({
      oldPath: 'src/pricing.ts',
      change: 'copied',
      changedLines: [3, 10],
      coveredLines: [3],
      uncoveredLines: [10],
    });
    expect(run.files['src/pricing.ts']).toMatchObject({ change: 'modified', changedLines: [2], coveredLines: [2] });
  });

  it('counts every line of a copy of an unmodified file: git only looks for copies among modified files (documented in src/diff/git-diff.ts)', () => {
    const run = check(copies().repo, ['coverage/lcov.info']);
    expect(run.files['src/tax-copy.ts']).toMatchObject({ oldPath: null, change: 'added', changedLines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(run.newCode).toMatchObject({ covered: 1 + 1 + 10, total: 1 + 2 + 10 });
  });

  it('diff-cover (no copy detection) counts all 16 lines of the detected copy instead of 2', () => {
    const run = check(copies().repo, ['coverage/lcov.info']);
    const { diffCover } = copies();
    // It also flags line 11, a copied line the MR never edited...
    expect(diffCover.src_stats['src/discount.ts']?.violation_lines).toEqual([10, 11]);
    expect(run.files['src/discount.ts']?.uncoveredLines).toEqual([10]);
    // ...and 16 + 1 + 10 coverable "new" lines where qgate has 2 + 1 + 10.
    expect(diffCover.total_num_lines).toBe(27);
    expect(run.newCode.total).toBe(13);
  });
});

// ---- 3. deleted, binary, mode-only -----------------------------------------------------------

const KEEP = codeLines(10, 'k');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

const noLines = fixture(async () => {
  const repo = await mrRepo(
    'no-lines',
    { 'src/gone.ts': codeLines(5, 'g'), 'src/icon.png': PNG, 'scripts/build.js': codeLines(4, 'b'), 'src/keep.ts': KEEP },
    {
      'src/gone.ts': null,
      'src/icon.png': Buffer.concat([PNG, Buffer.from([0x00, 0x01, 0x02, 0xff])]),
      'scripts/build.js': { mode: 0o755 },
      'src/keep.ts': editLines(KEEP, { 3: 'export const k3 = 30;', 7: 'export const k7 = 70;' }) + codeLines(2, 'k', 11),
    },
  );
  const keep = hits(12, { 7: 0, 12: 0, 9: 0 });
  await repo.write({
    // A report that also measures the chmod-ed script: its lines are still not new code.
    'coverage/lcov.info': lcovReport({ 'src/keep.ts': keep, 'scripts/build.js': hits(4, { 2: 0 }) }),
    'coverage/cobertura.xml': coberturaReport({ 'src/keep.ts': keep, 'scripts/build.js': hits(4, { 2: 0 }) }, [repo.dir]),
  });
  const [lcov, cobertura] = await Promise.all([
    runDiffCover(repo, ['coverage/lcov.info'], 'no-lines-lcov'),
    runDiffCover(repo, ['coverage/cobertura.xml'], 'no-lines-cobertura'),
  ]);
  return { repo, diffCover: { lcov, cobertura } };
}, bothFormats);

describe('deleted files, binary files and mode-only changes contribute no line', () => {
  for (const [format, report] of [['lcov', 'coverage/lcov.info'], ['cobertura', 'coverage/cobertura.xml']] as const) {
    it(`lists the binary file with no lines and leaves out the deletion and the chmod (${format})`, () => {
      const run = check(noLines().repo, [report]);
      expect(run.status).toBe(1);
      expect(Object.keys(run.files).sort()).toEqual(['src/icon.png', 'src/keep.ts']);
      expect(run.files['src/icon.png']).toMatchObject({ status: 'binary', change: 'modified', changedLines: [], coveredLines: [], uncoveredLines: [] });
      expect(linesOf(run.files['src/keep.ts'])).toEqual({
        status: 'measured',
        changedLines: [3, 7, 11, 12],
        coveredLines: [3, 11],
        uncoveredLines: [7, 12],
      });
      expect(run.result.diff).toMatchObject({ changedFiles: 2, addedLines: 4, deletedFiles: 1 });
      expect(run.newCode).toMatchObject({ covered: 2, total: 4, percent: 50, unmeasuredFiles: [] });
    });

    it(`agrees with diff-cover (${format})`, () => {
      const run = check(noLines().repo, [report]);
      expectSameAsDiffCover(run, noLines().diffCover[format]);
    });
  }
});

// ---- 4. file names ---------------------------------------------------------------------------

const SPACED = 'src/my file.ts';
const CAFE = 'src/café/naïve file.ts';
const JAPANESE = 'src/日本語.py';
const QUOTED = 'src/say "hi"\tnow.ts';
const PY = 'v1 = 1\nv2 = 2\nv3 = 3\nv4 = 4\n';

const names = fixture(async () => {
  const repo = await mrRepo(
    'names',
    { [SPACED]: codeLines(6, 's'), [CAFE]: codeLines(6, 'n'), [JAPANESE]: PY, [QUOTED]: codeLines(3, 'q') },
    {
      [SPACED]: editLines(codeLines(6, 's'), { 2: 'export const s2 = 20;' }),
      [CAFE]: editLines(codeLines(6, 'n'), { 1: 'export const n1 = 10;', 4: 'export const n4 = 40;' }),
      [JAPANESE]: `${PY}v5 = 5\nv6 = 6\n`,
      [QUOTED]: editLines(codeLines(3, 'q'), { 2: 'export const q2 = 20;' }),
    },
  );
  const reported: ReportedHits = {
    [SPACED]: hits(6),
    [CAFE]: hits(6, { 4: 0 }),
    [JAPANESE]: hits(6, { 6: 0 }),
    [QUOTED]: hits(3, { 2: 0 }),
  };
  await repo.write({ 'coverage/lcov.info': lcovReport(reported), 'coverage/cobertura.xml': coberturaReport(reported) });
  return { repo, diffCover: await runDiffCover(repo, ['coverage/lcov.info'], 'names') };
}, bothFormats);

describe('file names with spaces and non-ASCII characters (git C-quotes them)', () => {
  for (const report of ['coverage/lcov.info', 'coverage/cobertura.xml']) {
    it(`reads the exact changed lines and finds each file in the report (${report})`, () => {
      const run = check(names().repo, [report]);
      expect(run.status).toBe(1);
      expect(Object.keys(run.files).sort()).toEqual([CAFE, SPACED, JAPANESE, QUOTED].sort());
      expect(linesOf(run.files[SPACED])).toEqual({ status: 'measured', changedLines: [2], coveredLines: [2], uncoveredLines: [] });
      expect(linesOf(run.files[CAFE])).toEqual({ status: 'measured', changedLines: [1, 4], coveredLines: [1], uncoveredLines: [4] });
      expect(linesOf(run.files[JAPANESE])).toEqual({ status: 'measured', changedLines: [5, 6], coveredLines: [5], uncoveredLines: [6] });
      expect(linesOf(run.files[QUOTED])).toEqual({ status: 'measured', changedLines: [2], coveredLines: [], uncoveredLines: [2] });
      expect(run.newCode).toMatchObject({ covered: 3, total: 6, unmeasuredFiles: [] });
      expect(run.result.coverage?.unresolvedPaths).toEqual([]);
      expect(run.stdout).toContain(`${CAFE}: 4`);
    });
  }

  it('diff-cover never decodes the quoting, so it finds no coverage for the quoted names', () => {
    const run = check(names().repo, ['coverage/lcov.info']);
    const { diffCover } = names();
    // It sees all 6 changed lines, but under names like `src/caf\303\251/na\303\257ve file.ts`
    // and `src/say \` (its regex stops at the escaped quote)...
    expect(diffCover.num_changed_lines).toBe(6);
    // ...so only the unquoted (spaced) name is measured: 1 line, 100%, where qgate has 6 lines, 50%.
    expect(Object.keys(diffCover.src_stats)).toEqual([SPACED]);
    expect(diffCover).toMatchObject({ total_num_lines: 1, total_num_violations: 0, total_percent_covered: 100 });
    expect(run.newCode).toMatchObject({ covered: 3, total: 6, percent: 50 });
  });
});

// ---- 5. CRLF and whitespace-only changes -----------------------------------------------------

const WINDOWS = codeLines(8, 'w').replace(/\n/g, '\r\n');
const SPACES = codeLines(8, 's');

const lineEndings = fixture(async () => {
  const repo = await mrRepo(
    'crlf',
    { 'src/win.ts': WINDOWS, 'src/ws.ts': SPACES },
    {
      'src/win.ts': editLines(WINDOWS, { 4: 'export const w4 = 40;\r' }),
      // Re-indented and trailing blanks: whitespace-only, still changed lines (as diff-cover counts them).
      'src/ws.ts': editLines(SPACES, { 6: '  export const s6 = 6;', 7: 'export const s7 = 7;  ' }),
    },
  );
  const reported: ReportedHits = { 'src/win.ts': hits(8, { 4: 0 }), 'src/ws.ts': hits(8, { 7: 0 }) };
  await repo.write({ 'coverage/lcov.info': lcovReport(reported), 'coverage/cobertura.xml': coberturaReport(reported) });
  const [lcov, cobertura] = await Promise.all([
    runDiffCover(repo, ['coverage/lcov.info'], 'crlf-lcov'),
    runDiffCover(repo, ['coverage/cobertura.xml'], 'crlf-cobertura'),
  ]);
  return { repo, diffCover: { lcov, cobertura } };
}, bothFormats);

describe('CRLF files and whitespace-only changes', () => {
  for (const [format, report] of [['lcov', 'coverage/lcov.info'], ['cobertura', 'coverage/cobertura.xml']] as const) {
    it(`counts exactly the one changed CRLF line and both whitespace-only lines, like diff-cover (${format})`, () => {
      const run = check(lineEndings().repo, [report]);
      expect(linesOf(run.files['src/win.ts'])).toEqual({ status: 'measured', changedLines: [4], coveredLines: [], uncoveredLines: [4] });
      expect(linesOf(run.files['src/ws.ts'])).toEqual({ status: 'measured', changedLines: [6, 7], coveredLines: [6], uncoveredLines: [7] });
      expect(run.newCode).toMatchObject({ covered: 1, total: 3 });
      expectSameAsDiffCover(run, lineEndings().diffCover[format]);
    });
  }
});

// ---- a last line without a newline -----------------------------------------------------------

const noNewline = fixture(async () => {
  const repo = await mrRepo(
    'eof',
    { 'src/eof.ts': 'export const a = 1;\nexport const b = 2;' },
    { 'src/eof.ts': 'export const a = 1;\nexport const b = 3;\nexport const c = 4;' },
  );
  await repo.write({ 'coverage/lcov.info': lcovReport({ 'src/eof.ts': { 1: 1, 2: 0, 3: 0 } }) });
  return { repo, diffCover: await runDiffCover(repo, ['coverage/lcov.info'], 'eof') };
}, ({ repo }) => [{ repo, reports: ['coverage/lcov.info'] }]);

describe('"\\ No newline at end of file"', () => {
  it('is not a line: the MR changes lines 2 and 3 of a 3-line file', () => {
    const run = check(noNewline().repo, ['coverage/lcov.info']);
    expect(linesOf(run.files['src/eof.ts'])).toEqual({ status: 'measured', changedLines: [2, 3], coveredLines: [], uncoveredLines: [2, 3] });
    expect(run.newCode).toMatchObject({ covered: 0, total: 2 });
  });

  it('diff-cover counts the marker as a line, shifting the changes to lines 3 and 4 (line 4 does not exist)', () => {
    const { diffCover } = noNewline();
    expect(diffCover.num_changed_lines).toBe(2);
    // Line 2 (changed, uncovered) is missed; only line 3 is matched.
    expect(diffCover.src_stats['src/eof.ts']?.violation_lines).toEqual([3]);
    expect(diffCover).toMatchObject({ total_num_lines: 1, total_num_violations: 1 });
  });
});

// ---- 6. report paths -------------------------------------------------------------------------

const SIX = codeLines(6, 'x');
const pathsBase: Record<string, string> = {
  'src/a.ts': SIX,
  'src/b.ts': SIX,
  'src/c.ts': SIX,
  'src/d.ts': SIX,
  'src/e.ts': SIX,
  'src/money.ts': SIX,
  'services/billing/src/money.ts': SIX,
};

const ALL_PATH_REPORTS = ['coverage/absolute.info', 'coverage/sources.xml', 'services/billing/coverage/lcov.info', 'coverage/root.info'];

const reportPaths = fixture(async () => {
  const mr: Record<string, string> = {};
  for (const path of Object.keys(pathsBase)) mr[path] = editLines(SIX, { 3: 'export const x3 = 33;' });
  const repo = await mrRepo('paths', pathsBase, mr);
  await repo.write({
    // Another runner's checkout.
    'coverage/absolute.info': lcovReport({ '/builds/group/project/src/a.ts': hits(6) }),
    // coverage.py on another machine: <source> is that machine's folder.
    'coverage/sources.xml': coberturaReport({ 'b.ts': hits(6, { 3: 0 }) }, ['/builds/group/project/src']),
    // Written by the sub-package's own test run: paths relative to services/billing/.
    'services/billing/coverage/lcov.info': lcovReport({ 'src/money.ts': hits(6, { 3: 0 }) }),
    'coverage/root.info': lcovReport({
      './src/c.ts': hits(6),
      'src\\d.ts': hits(6, { 3: 0 }),
      // A Windows runner's absolute path (coverlet, Jest on Windows).
      'C:\\builds\\group\\project\\src\\e.ts': hits(6),
      'src/money.ts': hits(6),
      'lib/nowhere.ts': hits(2),
    }),
  });
  return { repo, diffCover: await runDiffCover(repo, ['services/billing/coverage/lcov.info'], 'billing') };
}, ({ repo }) => [{ repo, reports: ALL_PATH_REPORTS }, { repo, reports: ['services/billing/coverage/lcov.info'] }]);

describe('report paths become repository paths, or are reported', () => {
  it('resolves absolute runner paths, foreign <sources>, a sub-package report, ./ prefixes and Windows paths', () => {
    const run = check(reportPaths().repo, ALL_PATH_REPORTS);
    const expected: Record<string, 'covered' | 'uncovered'> = {
      'src/a.ts': 'covered', // SF:/builds/group/project/src/a.ts
      'src/b.ts': 'uncovered', // <source>/builds/group/project/src</source> + b.ts
      'src/c.ts': 'covered', // SF:./src/c.ts
      'src/d.ts': 'uncovered', // SF:src\d.ts
      'src/e.ts': 'covered', // SF:C:\builds\group\project\src\e.ts
      'src/money.ts': 'covered', // SF:src/money.ts in the root report
      'services/billing/src/money.ts': 'uncovered', // SF:src/money.ts in services/billing/coverage/lcov.info
    };
    for (const [path, state] of Object.entries(expected)) {
      expect(linesOf(run.files[path]), path).toEqual({
        status: 'measured',
        changedLines: [3],
        coveredLines: state === 'covered' ? [3] : [],
        uncoveredLines: state === 'uncovered' ? [3] : [],
      });
    }
    expect(run.newCode).toMatchObject({ covered: 4, total: 7, unmeasuredFiles: [] });
  });

  it('lists a path that matches nothing as unresolved, not silently dropped', () => {
    const run = check(reportPaths().repo, ALL_PATH_REPORTS);
    expect(run.result.coverage?.unresolvedPaths).toEqual([
      { report: 'coverage/root.info', path: 'lib/nowhere.ts', reason: 'not-found', candidates: [] },
    ]);
    expect(run.stdout).toContain('lib/nowhere.ts');
    // Its lines still count towards overall coverage: 7 files × 6 lines + 2.
    expect(run.result.coverage?.overall.total).toBe(44);
  });

  it('gives a sub-package report to the sub-package file only, never to the root file with the same relative path', () => {
    const run = check(reportPaths().repo, ['services/billing/coverage/lcov.info']);
    expect(linesOf(run.files['services/billing/src/money.ts'])).toEqual({ status: 'measured', changedLines: [3], coveredLines: [], uncoveredLines: [3] });
    expect(run.files['src/money.ts']?.status).toBe('unmeasured');
    expect(run.newCode.unmeasuredFiles).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts', 'src/e.ts', 'src/money.ts']);
    expect(run.result.coverage?.unresolvedPaths).toEqual([]);
  });

  it('diff-cover reads the same sub-package report against the repository root: the wrong file gets the coverage', () => {
    const { diffCover } = reportPaths();
    // diff-cover looks "src/money.ts" up relative to the repository root, so the root file
    // is charged with the billing package's uncovered line, and the billing file is unmeasured.
    expect(Object.keys(diffCover.src_stats)).toEqual(['src/money.ts']);
    expect(diffCover.src_stats['src/money.ts']?.violation_lines).toEqual([3]);
    expect(diffCover.src_stats['services/billing/src/money.ts']).toBeUndefined();
  });
});

// ---- 7. unmeasured files ---------------------------------------------------------------------

const unmeasured = fixture(async () => {
  const base = { 'src/a.ts': codeLines(5, 'a'), 'src/b.ts': codeLines(5, 'b') };
  const mr = {
    'src/a.ts': editLines(codeLines(5, 'a'), { 2: 'export const a2 = 20;' }),
    'src/b.ts': editLines(codeLines(5, 'b'), { 2: 'export const b2 = 20;', 3: 'export const b3 = 30;' }),
    'test/a.test.ts': "import './a';\n",
  };
  const [repo, strict] = await Promise.all([
    mrRepo('unmeasured', base, mr),
    // The same MR in a project whose committed .qgate.yml says unmeasured files fail.
    mrRepo('unmeasured-strict', { ...base, '.qgate.yml': 'gates:\n  new_code_coverage:\n    unmeasuredFiles: fail\n' }, mr),
  ]);
  const report = { 'coverage/lcov.info': lcovReport({ 'src/a.ts': hits(5) }) };
  await Promise.all([repo.write(report), strict.write(report)]);
  return { repo, strict, diffCover: await runDiffCover(repo, ['coverage/lcov.info'], 'unmeasured') };
}, ({ repo, strict }) => [{ repo, reports: ['coverage/lcov.info'] }, { repo: strict, reports: ['coverage/lcov.info'] }]);

describe('a changed source file that no report mentions is not "100%"', () => {
  it('is listed as unmeasured and makes the gate warn by default', () => {
    const run = check(unmeasured().repo, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(run.newCode).toMatchObject({ covered: 1, total: 1, percent: 100, unmeasuredFiles: ['src/b.ts'] });
    expect(linesOf(run.files['src/b.ts'])).toEqual({ status: 'unmeasured', changedLines: [2, 3], coveredLines: [], uncoveredLines: [] });
    expect(run.files['test/a.test.ts']?.status).toBe('not-source');
    const gate = gateOf(run.result);
    expect(gate.status).toBe('warn');
    expect(gate.reason).toContain('src/b.ts');
    expect(run.result.verdict).toBe('warn');
  });

  it('fails the job with unmeasuredFiles: fail in .qgate.yml', () => {
    const run = check(unmeasured().strict, ['coverage/lcov.info']);
    expect(run.status).toBe(1);
    expect(run.result.configFiles.at(-1)).toMatch(/\.qgate\.yml$/);
    expect(run.newCode.unmeasuredFiles).toEqual(['src/b.ts']);
    expect(run.result.verdict).toBe('fail');
    expect(gateOf(run.result)).toMatchObject({ status: 'fail', actual: 100 });
  });

  it('diff-cover calls the same MR 100% covered', () => {
    const { diffCover } = unmeasured();
    expect(Object.keys(diffCover.src_stats)).toEqual(['src/a.ts']);
    expect(diffCover).toMatchObject({ total_percent_covered: 100, total_num_lines: 1 });
  });
});

// ---- 8. no data is never a pass by accident --------------------------------------------------

const COMMENTED = `// the header comment\n${codeLines(5, 'a')}`;

const notApplicable = fixture(async () => {
  const [commentsOnly, empty] = await Promise.all([
    mrRepo(
      'comments-only',
      { 'src/a.ts': COMMENTED, 'README.md': '# demo\n' },
      { 'src/a.ts': editLines(COMMENTED, { 1: '// the header comment, reworded' }), 'README.md': '# demo\n\nMore words.\n' },
    ),
    (async () => {
      const repo = await createRepo('empty-diff');
      await repo.commit('base', { 'src/a.ts': codeLines(5, 'a') });
      await repo.git('checkout', '-q', '-b', 'mr');
      return repo;
    })(),
  ]);
  // Comments are not coverable: the report lists lines 2..6 only.
  const codeOnly = { 2: 1, 3: 1, 4: 0, 5: 1, 6: 1 };
  await commentsOnly.write({
    'coverage/lcov.info': lcovReport({ 'src/a.ts': codeOnly }),
    // What coverage.py writes when it measured nothing: valid, and empty.
    'coverage/empty.xml':
      '<?xml version="1.0" ?>\n<coverage version="7.4.0" timestamp="1700000000000" lines-valid="0" lines-covered="0" line-rate="1" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">\n  <sources>\n    <source>/builds/group/project</source>\n  </sources>\n  <packages/>\n</coverage>\n',
  });
  await empty.write({ 'coverage/lcov.info': lcovReport({ 'src/a.ts': hits(5, { 2: 0 }) }) });
  return { commentsOnly, empty, diffCover: await runDiffCover(empty, ['coverage/lcov.info'], 'empty') };
}, ({ commentsOnly, empty }) => [
  { repo: commentsOnly, reports: ['coverage/lcov.info'] },
  { repo: commentsOnly, reports: ['coverage/empty.xml'] },
  { repo: empty, reports: ['coverage/lcov.info'] },
]);

describe('no coverable change, an empty diff and an empty report are distinct, visible outcomes', () => {
  it('skips the gate as not applicable when only comments and the README change', () => {
    const run = check(notApplicable().commentsOnly, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(linesOf(run.files['src/a.ts'])).toEqual({ status: 'measured', changedLines: [1], coveredLines: [], uncoveredLines: [] });
    expect(run.files['README.md']).toMatchObject({ status: 'not-source', changedLines: [2, 3] });
    expect(run.newCode).toMatchObject({ covered: 0, total: 0, percent: null, unmeasuredFiles: [] });
    const gate = gateOf(run.result);
    expect(gate).toMatchObject({ status: 'skip', actual: null });
    expect(gate.reason).toMatch(/^not applicable/);
  });

  it('skips the gate for an empty diff, saying the diff changes no file', () => {
    const run = check(notApplicable().empty, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(run.result.diff).toMatchObject({ changedFiles: 0, addedLines: 0 });
    expect(run.newCode).toMatchObject({ files: [], covered: 0, total: 0, percent: null });
    const gate = gateOf(run.result);
    expect(gate).toMatchObject({ status: 'skip', actual: null });
    expect(gate.reason).toMatch(/^not applicable/);
    expect(gate.reason).toContain('changes no file');
    expect(run.result.diff.warnings).toEqual([expect.stringContaining('there are no changes to measure')]);
    expect(run.stdout).toMatch(/new code: 0 changed lines/i);
  });

  it('diff-cover reports the empty diff as 100% covered', () => {
    const { diffCover } = notApplicable();
    expect(diffCover).toMatchObject({ src_stats: {}, total_num_lines: 0, num_changed_lines: 0, total_percent_covered: 100 });
    expect(check(notApplicable().empty, ['coverage/lcov.info']).newCode.percent).toBeNull();
  });

  it('with an empty but valid report (<packages/>), a comment-only change is nothing to measure, not unmeasured', () => {
    const run = check(notApplicable().commentsOnly, ['coverage/empty.xml']);
    expect(run.status).toBe(0);
    expect(run.result.inputs).toEqual([expect.objectContaining({ format: 'cobertura', entries: 0 })]);
    // No report mentions src/a.ts, but its only changed line is a comment: no line could have run.
    expect(run.newCode.unmeasuredFiles).toEqual([]);
    expect(run.files['src/a.ts']).toMatchObject({ status: 'no-new-lines', nonExecutableOnly: true });
    const gate = gateOf(run.result);
    expect(gate).toMatchObject({ status: 'skip', actual: null });
    expect(gate.reason).toMatch(/^not applicable/);
  });
});

// ---- 9. parallel shards ----------------------------------------------------------------------

const SHARDS = { lcov: ['coverage/shard-1.info', 'coverage/shard-2.info'], cobertura: ['coverage/shard-1.xml', 'coverage/shard-2.xml'] };

const shards = fixture(async () => {
  const repo = await mrRepo(
    'shards',
    { 'src/a.ts': codeLines(8, 'a'), 'src/b.ts': codeLines(4, 'b') },
    {
      'src/a.ts': editLines(codeLines(8, 'a'), { 2: 'a2', 3: 'a3', 4: 'a4', 5: 'a5', 6: 'a6', 7: 'a7' }),
      'src/b.ts': editLines(codeLines(4, 'b'), { 1: 'b1', 2: 'b2' }),
    },
  );
  // Each shard lists every line of a.ts; shard 1 ran lines 2-4, shard 2 lines 5-6. Only shard 1 loaded b.ts.
  const shard1: ReportedHits = { 'src/a.ts': hits(8, { 1: 0, 5: 0, 6: 0, 7: 0, 8: 0 }), 'src/b.ts': hits(4, { 2: 0 }) };
  const shard2: ReportedHits = { 'src/a.ts': hits(8, { 1: 0, 2: 0, 3: 0, 4: 0, 7: 0, 8: 0 }) };
  await repo.write({
    'coverage/shard-1.info': lcovReport(shard1),
    'coverage/shard-2.info': lcovReport(shard2),
    'coverage/shard-1.xml': coberturaReport(shard1),
    'coverage/shard-2.xml': coberturaReport(shard2),
  });
  const [lcov, cobertura] = await Promise.all([
    runDiffCover(repo, ['coverage/shard-1.info', 'coverage/shard-2.info'], 'shards-lcov'),
    runDiffCover(repo, ['coverage/shard-1.xml', 'coverage/shard-2.xml'], 'shards-cobertura'),
  ]);
  return { repo, diffCover: { lcov, cobertura } };
}, ({ repo }) => [{ repo, reports: SHARDS.lcov }, { repo, reports: SHARDS.cobertura }]);

describe('parallel shards: a line covered in either shard is covered', () => {
  for (const [format, reports] of Object.entries(SHARDS)) {
    it(`takes the union of the shards (${format})`, () => {
      const run = check(shards().repo, reports);
      expect(linesOf(run.files['src/a.ts'])).toEqual({
        status: 'measured',
        changedLines: [2, 3, 4, 5, 6, 7],
        coveredLines: [2, 3, 4, 5, 6],
        uncoveredLines: [7],
      });
      expect(linesOf(run.files['src/b.ts'])).toEqual({ status: 'measured', changedLines: [1, 2], coveredLines: [1], uncoveredLines: [2] });
      expect(run.newCode).toMatchObject({ covered: 6, total: 8, percent: 75 });
    });
  }

  it('agrees with diff-cover on Cobertura shards', () => {
    expectSameAsDiffCover(check(shards().repo, SHARDS.cobertura), shards().diffCover.cobertura);
  });

  it('diff-cover loses the uncovered lines of a file only one lcov shard mentions', () => {
    const { lcov } = shards().diffCover;
    // diff-cover intersects the violations of every lcov shard, and a shard that never loaded
    // b.ts counts as "no violations" there (a defaultdict lookup), so b.ts line 2 vanishes.
    expect(lcov.src_stats['src/a.ts']?.violation_lines).toEqual([7]);
    expect(lcov.src_stats['src/b.ts']?.violation_lines).toEqual([]);
    expect(lcov).toMatchObject({ total_num_lines: 8, total_num_violations: 1 });
    const run = check(shards().repo, SHARDS.lcov);
    expect(run.newCode.total - run.newCode.covered).toBe(2);
  });
});

// ---- 10. merge commits -----------------------------------------------------------------------

const A12 = codeLines(12, 'a');

const merged = fixture(async () => {
  const repo = await createRepo('merge');
  await repo.commit('base', { 'src/a.ts': A12, 'src/b.ts': codeLines(6, 'b') });
  await repo.git('checkout', '-q', '-b', 'mr');
  await repo.commit('mr: change line 8', { 'src/a.ts': editLines(A12, { 8: 'export const a8 = 80;' }) });
  await repo.git('checkout', '-q', 'main');
  // main moves on: two lines on top of a.ts (shifting the MR's line 8 to 10) and a change in b.ts.
  await repo.commit('main moves on', {
    'src/a.ts': `export const top1 = 1;\nexport const top2 = 2;\n${A12}`,
    'src/b.ts': editLines(codeLines(6, 'b'), { 3: 'export const b3 = 30;' }),
  });
  await repo.git('checkout', '-q', 'mr');
  await repo.git('merge', '-q', '--no-edit', 'main');
  await repo.write({ 'coverage/lcov.info': lcovReport({ 'src/a.ts': hits(14, { 1: 0, 2: 0 }), 'src/b.ts': hits(6, { 3: 0 }) }) });
  return { repo, diffCover: await runDiffCover(repo, ['coverage/lcov.info'], 'merge') };
}, ({ repo }) => [{ repo, reports: ['coverage/lcov.info'] }]);

describe('an MR branch that merged main in', () => {
  it("counts only the MR's own line, at its new position", () => {
    const run = check(merged().repo, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(Object.keys(run.files)).toEqual(['src/a.ts']);
    expect(linesOf(run.files['src/a.ts'])).toEqual({ status: 'measured', changedLines: [10], coveredLines: [10], uncoveredLines: [] });
    expect(run.newCode).toMatchObject({ covered: 1, total: 1, percent: 100 });
    expect(gateOf(run.result).status).toBe('pass');
  });

  it('agrees with diff-cover (main...HEAD)', () => {
    expectSameAsDiffCover(check(merged().repo, ['coverage/lcov.info']), merged().diffCover);
  });
});

// ---- 11. symlinks ----------------------------------------------------------------------------

const PASSWD_LINE = readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? 'root:x:0:0';

const symlinks = fixture(async () => {
  const repo = await mrRepo(
    'symlink',
    { 'src/a.ts': codeLines(4, 'a') },
    { 'src/evil.ts': { symlink: '/etc/passwd' }, 'src/a.ts': editLines(codeLines(4, 'a'), { 2: 'export const a2 = 20;' }) },
  );
  // A report that claims lines of the link: they must not be measured either.
  await repo.write({ 'coverage/lcov.info': lcovReport({ 'src/a.ts': hits(4), 'src/evil.ts': { 1: 0, 2: 0, 3: 0 } }) });
  return { repo };
}, ({ repo }) => [{ repo, reports: ['coverage/lcov.info'] }]);

describe('an MR that adds a symlink to /etc/passwd', () => {
  it('lists it as binary with no lines and never reads through it', () => {
    const { repo } = symlinks();
    const run = check(repo, ['coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(run.files['src/evil.ts']).toMatchObject({ status: 'binary', change: 'added', changedLines: [], coveredLines: [], uncoveredLines: [] });
    expect(linesOf(run.files['src/a.ts'])).toEqual({ status: 'measured', changedLines: [2], coveredLines: [2], uncoveredLines: [] });
    expect(run.newCode).toMatchObject({ covered: 1, total: 1 });
    expect(PASSWD_LINE).toContain(':');
    const written = readdirSync(join(repo.dir, run.out));
    expect(written).toContain('result.json');
    for (const name of written) {
      const text = readFileSync(join(repo.dir, run.out, name), 'utf8');
      expect(text, name).not.toContain(PASSWD_LINE);
      expect(text, name).not.toContain('/etc/passwd');
    }
    expect(run.stdout).not.toContain(PASSWD_LINE);
    expect(run.stdout).not.toContain('/etc/passwd');
  });
});

// ---- agreement with diff-cover on ordinary changes -------------------------------------------

const PLAIN = codeLines(10, 'p');

/** 30 files with random edits, insertions, deletions, new and deleted files, and random hits (seeded). */
async function buildRandomRepo(): Promise<{ repo: GitRepo; reported: ReportedHits }> {
  const random = seededRandom(20_240_611);
  const pick = (probability: number): boolean => random() < probability;
  const base: Record<string, string> = {};
  const mr: Record<string, string | null> = {};
  for (let i = 0; i < 30; i += 1) {
    const path = `src/m${i % 4}/file${i}.ts`;
    const count = 8 + Math.floor(random() * 30);
    const lines = Array.from({ length: count }, (_, k) => `export const f${i}_${k} = ${k};`);
    base[path] = `${lines.join('\n')}\n`;
    if (i % 10 === 7) continue; // untouched
    if (i % 10 === 3) {
      mr[path] = null; // deleted
      continue;
    }
    const next: string[] = [];
    for (const [k, line] of lines.entries()) {
      if (pick(0.06)) continue; // deleted line
      next.push(pick(0.15) ? `export const f${i}_${k}_changed = ${k * 7};` : line);
      if (pick(0.07)) next.push(`export const f${i}_${k}_inserted = ${k};`);
    }
    mr[path] = `${next.join('\n')}\n`;
  }
  for (let i = 0; i < 3; i += 1) mr[`src/new/added${i}.ts`] = codeLines(5 + i * 3, `added${i}_`);
  const repo = await mrRepo('random', base, mr);

  // Hits for the head side: about 70% of the lines coverable, a third of those never run;
  // two changed files are left out of the report.
  const reported: ReportedHits = {};
  const head = { ...base, ...mr };
  let left = 2;
  for (const [path, text] of Object.entries(head)) {
    if (text === null) continue;
    if (left > 0 && path in mr && path.includes('file')) {
      left -= 1;
      continue;
    }
    const lines: Record<number, number> = {};
    const count = text.split('\n').length - 1;
    for (let line = 1; line <= count; line += 1) {
      if (pick(0.7)) lines[line] = pick(0.35) ? 0 : 1 + Math.floor(random() * 5);
    }
    reported[path] = lines;
  }
  await repo.write({ 'coverage/lcov.info': lcovReport(reported), 'coverage/cobertura.xml': coberturaReport(reported, [repo.dir]) });
  return { repo, reported };
}

const ordinary = fixture(async () => {
  const [plain, random] = await Promise.all([
    mrRepo('plain', { 'src/plain.ts': PLAIN }, {
      'src/plain.ts': editLines(PLAIN, { 2: 'export const p2 = 20;', 5: 'export const p5 = 50;', 8: 'export const p8 = 88;\nexport const p8b = 80;\nexport const p8c = 800;' }),
    }),
    buildRandomRepo(),
  ]);
  const plainHits: ReportedHits = { 'src/plain.ts': hits(12, { 5: 0, 10: 0, 11: 0 }) };
  await plain.write({ 'coverage/lcov.info': lcovReport(plainHits), 'coverage/cobertura.xml': coberturaReport(plainHits, [plain.dir]) });
  const [plainLcov, plainCobertura, randomLcov, randomCobertura] = await Promise.all([
    runDiffCover(plain, ['coverage/lcov.info'], 'plain-lcov'),
    runDiffCover(plain, ['coverage/cobertura.xml'], 'plain-cobertura'),
    runDiffCover(random.repo, ['coverage/lcov.info'], 'random-lcov'),
    runDiffCover(random.repo, ['coverage/cobertura.xml'], 'random-cobertura'),
  ]);
  return {
    plain,
    random: random.repo,
    diffCover: { plain: { lcov: plainLcov, cobertura: plainCobertura }, random: { lcov: randomLcov, cobertura: randomCobertura } },
  };
}, ({ plain, random }) => [...bothFormats({ repo: plain }), ...bothFormats({ repo: random })]);

describe('agreement with diff-cover on ordinary merge requests', () => {
  for (const [format, report] of [['lcov', 'coverage/lcov.info'], ['cobertura', 'coverage/cobertura.xml']] as const) {
    it(`a plain modified file: the same uncovered lines and totals (${format})`, () => {
      const run = check(ordinary().plain, [report]);
      expect(linesOf(run.files['src/plain.ts'])).toEqual({
        status: 'measured',
        changedLines: [2, 5, 8, 9, 10],
        coveredLines: [2, 8, 9],
        uncoveredLines: [5, 10],
      });
      expectSameAsDiffCover(run, ordinary().diffCover.plain[format]);
    });

    it(`30 files with random edits and random hits: the same per-file uncovered lines and totals (${format})`, () => {
      const run = check(ordinary().random, [report]);
      const diffCover = ordinary().diffCover.random[format];
      // The case is big enough to mean something.
      expect(run.newCode.files.length).toBeGreaterThan(20);
      expect(run.newCode.total).toBeGreaterThan(40);
      expect(run.newCode.total - run.newCode.covered).toBeGreaterThan(10);
      expect(run.newCode.unmeasuredFiles).toHaveLength(2);
      expect(run.result.diff.deletedFiles).toBeGreaterThan(0);
      expectSameAsDiffCover(run, diffCover);
    });
  }
});
