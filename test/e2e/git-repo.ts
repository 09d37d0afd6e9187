/**
 * Real, tiny git repositories for the end-to-end tests: a base commit on `main`, an MR branch,
 * untracked coverage reports, and diff-cover run on the same checkout for comparison.
 * git runs asynchronously so that a suite can build all its repositories at once.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * What git and diff-cover run with: no system or user config (a developer's `diff.noprefix`,
 * `core.autocrlf` or `diff.renames=false` must not change what the tests see), English messages.
 */
export const GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

/** A file's content at a commit: text or bytes, a symlink, an executable-bit flip of the existing file, or `null` to delete it. */
export type FileChange = string | Buffer | { symlink: string } | { mode: 0o644 | 0o755 } | null;

export interface GitRepo {
  /** Absolute, real path of the checkout. */
  dir: string;
  git(...args: string[]): Promise<string>;
  /** Applies the changes, stages everything but the coverage/ and qgate-report/ folders, and commits. */
  commit(message: string, files: Record<string, FileChange>): Promise<void>;
  /** Writes files without committing them (coverage reports, config). */
  write(files: Record<string, string>): Promise<void>;
}

const created: string[] = [];

let clock = 0;

/** `git init -b main` in a fresh temporary folder, with a local identity. */
export async function createRepo(name: string): Promise<GitRepo> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), `qgate-e2e-${name}-`)));
  created.push(dir);
  const git = async (...args: string[]): Promise<string> => {
    // Distinct, increasing commit dates keep `git log` order and SHAs independent of the wall clock.
    clock += 1;
    const date = `${1_700_000_000 + clock} +0000`;
    const env = { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    const { stdout } = await run('git', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 16 << 20 });
    return stdout;
  };
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'qgate e2e');
  await git('config', 'user.email', 'e2e@qgate.invalid');
  const write = async (files: Record<string, FileChange>): Promise<void> => {
    for (const [path, change] of Object.entries(files)) {
      const target = join(dir, path);
      if (change === null) {
        await rm(target);
      } else if (typeof change === 'string' || Buffer.isBuffer(change)) {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, change);
      } else if ('symlink' in change) {
        await mkdir(dirname(target), { recursive: true });
        await symlink(change.symlink, target);
      } else {
        await chmod(target, change.mode);
      }
    }
  };
  return {
    dir,
    git,
    async commit(message, files) {
      await write(files);
      await git('add', '-A', '--', '.', ':(exclude)coverage', ':(exclude)qgate-report');
      await git('commit', '-q', '--allow-empty', '-m', message);
    },
    write,
  };
}

/** Removes every repository `createRepo` made. */
export async function removeRepos(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** `count` distinct lines of code, numbered from `from`, each ending in a newline. */
export function codeLines(count: number, name = 'v', from = 1): string {
  let text = '';
  for (let i = from; i < from + count; i += 1) text += `export const ${name}${i} = ${i};\n`;
  return text;
}

/** Replaces 1-based lines of `text` (lines split on `\n`). */
export function editLines(text: string, edits: Record<number, string>): string {
  const lines = text.split('\n');
  for (const [number, line] of Object.entries(edits)) lines[Number(number) - 1] = line;
  return lines.join('\n');
}

/** Coverage of one report: path as the report writes it → line → hits. */
export type ReportedHits = Record<string, Record<number, number>>;

/** An lcov tracefile as istanbul writes it (TN, SF, DA, LF, LH, end_of_record). */
export function lcovReport(files: ReportedHits): string {
  let text = '';
  for (const [path, lines] of Object.entries(files)) {
    const entries = Object.entries(lines);
    text += `TN:\nSF:${path}\n`;
    for (const [line, hits] of entries) text += `DA:${line},${hits}\n`;
    text += `LF:${entries.length}\nLH:${entries.filter(([, hits]) => hits > 0).length}\nend_of_record\n`;
  }
  return text;
}

/** Escapes an attribute value; tabs and newlines as character references, or XML would read them as spaces. */
function xmlAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A Cobertura report as coverage.py writes it: one class per file, optional `<sources>`. */
export function coberturaReport(files: ReportedHits, sources: string[] = []): string {
  let valid = 0;
  let covered = 0;
  const classes: string[] = [];
  for (const [path, lines] of Object.entries(files)) {
    const entries = Object.entries(lines);
    valid += entries.length;
    covered += entries.filter(([, hits]) => hits > 0).length;
    const body = entries.map(([line, hits]) => `          <line number="${line}" hits="${hits}"/>`).join('\n');
    classes.push(
      `        <class name="${xmlAttribute(path)}" filename="${xmlAttribute(path)}" line-rate="0" branch-rate="0" complexity="0">\n` +
        `         <methods/>\n         <lines>\n${body}\n         </lines>\n        </class>`,
    );
  }
  const rate = valid === 0 ? 1 : covered / valid;
  const sourceList = sources.map((source) => `    <source>${xmlAttribute(source)}</source>`).join('\n');
  return (
    '<?xml version="1.0" ?>\n' +
    `<coverage version="7.4.0" timestamp="1700000000000" lines-valid="${valid}" lines-covered="${covered}" line-rate="${rate}" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">\n` +
    `  <sources>\n${sourceList}\n  </sources>\n` +
    `  <packages>\n    <package name="." line-rate="${rate}" branch-rate="0" complexity="0">\n      <classes>\n${classes.join('\n')}\n      </classes>\n    </package>\n  </packages>\n` +
    '</coverage>\n'
  );
}

/** diff-cover's JSON report (`--json-report`), the fields compared here. */
export interface DiffCoverReport {
  src_stats: Record<string, { percent_covered: number; violation_lines: number[] }>;
  total_num_lines: number;
  total_num_violations: number;
  total_percent_covered: number;
  num_changed_lines: number;
}

export const DIFF_COVER = '/usr/bin/diff-cover';

/**
 * Runs Debian's diff-cover 7.4.0 on the same checkout and returns its JSON report. It diffs
 * `main...HEAD` plus the staged and unstaged changes, so the tracked tree must be clean (it is
 * checked); untracked files (the coverage/ folder) are only read with `--include-untracked`.
 * `name` keeps the JSON files of several runs in one repository apart.
 */
export async function runDiffCover(repo: GitRepo, reports: string[], name: string): Promise<DiffCoverReport> {
  const dirty = await repo.git('status', '--porcelain', '--untracked-files=no');
  if (dirty !== '') throw new Error(`${repo.dir} has uncommitted changes that diff-cover would count:\n${dirty}`);
  const out = join(repo.dir, 'coverage', `${name}.diff-cover.json`);
  try {
    await run(DIFF_COVER, [...reports, '--compare-branch=main', '--json-report', out, '-q'], { cwd: repo.dir, env: GIT_ENV, encoding: 'utf8' });
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    throw new Error(`diff-cover failed in ${repo.dir} (exit ${String(code)}): ${stderr ?? String(error)}`, { cause: error });
  }
  return JSON.parse(await readFile(out, 'utf8')) as DiffCoverReport;
}

/** A small seeded PRNG (mulberry32): the randomized case is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
