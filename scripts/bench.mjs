// `npm run bench`: qgate versus diff-cover on a generated monorepo merge request.
//
// The repository has FILES source files in PACKAGES packages, LINES coverable lines each
// (about 2M in all), one base commit and one MR commit that edits a few thousand lines in
// a few thousand files, renames some and adds some. Coverage comes as lcov (repo-relative
// paths) and Cobertura (a <source> naming the checkout). Both tools run on the same repo
// and reports; the script prints their wall times, the ratio, qgate's peak RSS and whether
// the two agree on covered/coverable new lines.
//
// Environment: BENCH_FILES (default 20000), BENCH_LINES (100), BENCH_DIR (default a temp dir),
// BENCH_KEEP=1 keeps the generated repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = Number(process.env.BENCH_FILES ?? 20000);
const LINES = Number(process.env.BENCH_LINES ?? 100);
const PACKAGES = 200;
const EDITED_FILES = Math.round(FILES * 0.05);
const ADDED_FILES = Math.round(FILES * 0.001);
const RENAMED_FILES = Math.round(FILES * 0.005);
const wrapper = join(dirname(fileURLToPath(import.meta.url)), 'bench-wrapper.mjs');

// A small deterministic PRNG (mulberry32), so every run measures the same repository.
let seed = 20261123;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com' },
  }).trim();
}

function sourceOf(index, lines, edit) {
  // Line 1 is a comment and every 10th line is blank: not coverable, as in real code.
  const out = [`// module ${index}`];
  for (let line = 2; line <= lines + Math.floor(lines / 10) + 1; line += 1) {
    if (line % 10 === 0) out.push('');
    else out.push(`  value${line} = compute(${index}, ${line}${edit && edit.has(line) ? ', true' : ''});`);
  }
  return `${out.join('\n')}\n`;
}

function pathOf(index) {
  return `packages/pkg${index % PACKAGES}/src/mod${index}/index.ts`;
}

function coverableLines(text) {
  const lines = [];
  text.split('\n').forEach((content, i) => {
    if (content.startsWith('  value')) lines.push(i + 1);
  });
  return lines;
}

function writeStreamed(path, produce) {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.on('error', reject);
    stream.on('finish', resolve);
    produce((text) => stream.write(text));
    stream.end();
  });
}

function timedOnce(command, args, cwd) {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, run };
}

/** One untimed warm-up run (page cache, git's object store), then the median of RUNS timed runs. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
function timed(command, args, cwd) {
  timedOnce(command, args, cwd);
  const runs = Array.from({ length: RUNS }, () => timedOnce(command, args, cwd)).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)];
}

async function main() {
  if (spawnSync('diff-cover', ['--version']).status !== 0) {
    throw new Error('diff-cover is not installed (Debian package diff-cover; .ci/run installs it)');
  }
  const root = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'qgate-bench-'));
  const repo = join(root, 'monorepo');
  if (existsSync(repo)) rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  process.stdout.write(`Generating ${FILES} files × ${LINES} coverable lines in ${repo} ...\n`);
  const generateStart = Date.now();

  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'core.autocrlf', 'false');
  for (let i = 0; i < FILES; i += 1) {
    const path = join(repo, pathOf(i));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, sourceOf(i, LINES));
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  git(repo, 'switch', '-q', '-c', 'mr');

  // The MR: edits in EDITED_FILES files (2–3 lines each), renamed files with one edit, new files.
  const finalText = new Map();
  const edited = new Set();
  while (edited.size < EDITED_FILES) edited.add(Math.floor(random() * FILES));
  for (const index of edited) {
    const lines = new Set();
    const count = 2 + Math.floor(random() * 2);
    while (lines.size < count) lines.add(2 + Math.floor(random() * LINES));
    const text = sourceOf(index, LINES, lines);
    writeFileSync(join(repo, pathOf(index)), text);
    finalText.set(pathOf(index), text);
  }
  let renamed = 0;
  for (let index = 0; renamed < RENAMED_FILES; index += 7) {
    if (edited.has(index)) continue;
    const from = pathOf(index);
    const to = from.replace('/index.ts', '/main.ts');
    git(repo, 'mv', from, to);
    const text = sourceOf(index, LINES, new Set([5]));
    writeFileSync(join(repo, to), text);
    finalText.set(to, text);
    renamed += 1;
  }
  for (let i = 0; i < ADDED_FILES; i += 1) {
    const path = `packages/pkg${i % PACKAGES}/src/added${i}/feature.ts`;
    mkdirSync(join(repo, dirname(path)), { recursive: true });
    const text = sourceOf(FILES + i, 30);
    writeFileSync(join(repo, path), text);
    finalText.set(path, text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'mr');

  // Coverage of the MR head: every file, ~70% of lines hit.
  const tracked = git(repo, 'ls-files', '-z').split('\0').filter(Boolean);
  const hitsOf = (path) => coverableLines(finalText.get(path) ?? sourceOf(Number(/mod(\d+)/.exec(path)?.[1] ?? 0), LINES)).map((line) => [line, random() < 0.7 ? 1 + Math.floor(random() * 20) : 0]);
  const perFile = tracked.map((path) => [path, hitsOf(path)]);
  let coverable = 0;
  for (const [, hits] of perFile) coverable += hits.length;
  const lcovPath = join(root, 'lcov.info');
  const coberturaPath = join(root, 'cobertura.xml');
  await writeStreamed(lcovPath, (write) => {
    for (const [path, hits] of perFile) {
      let body = `TN:\nSF:${path}\n`;
      for (const [line, count] of hits) body += `DA:${line},${count}\n`;
      const hit = hits.filter(([, count]) => count > 0).length;
      write(`${body}LF:${hits.length}\nLH:${hit}\nend_of_record\n`);
    }
  });
  await writeStreamed(coberturaPath, (write) => {
    write(`<?xml version="1.0" ?>\n<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">\n<coverage line-rate="0.7" branch-rate="0" version="bench" timestamp="0">\n<sources><source>${repo}</source></sources>\n<packages><package name="all" line-rate="0.7" branch-rate="0"><classes>\n`);
    for (const [path, hits] of perFile) {
      let body = `<class name="${path}" filename="${path}" line-rate="0.7" branch-rate="0"><methods/><lines>`;
      for (const [line, count] of hits) body += `<line number="${line}" hits="${count}"/>`;
      write(`${body}</lines></class>\n`);
    }
    write('</classes></package></packages></coverage>\n');
  });
  const diffStat = git(repo, 'diff', '--shortstat', 'main...mr');
  process.stdout.write(`Generated in ${((Date.now() - generateStart) / 1000).toFixed(1)} s: ${tracked.length} files, ${coverable} coverable lines; MR: ${diffStat}\n`);
  process.stdout.write(`lcov ${(readFileSync(lcovPath).length / 1e6).toFixed(1)} MB, Cobertura ${(readFileSync(coberturaPath).length / 1e6).toFixed(1)} MB\n\n`);

  const rows = [];
  for (const [label, report] of [['lcov', lcovPath], ['cobertura', coberturaPath]]) {
    const q = timed(process.execPath, [wrapper, 'check', '--base', 'main', '--coverage', report, '--out', join(root, `qgate-${label}`)], repo);
    if (q.run.status !== 0 && q.run.status !== 1) throw new Error(`qgate failed on ${label}:\n${q.run.stderr}`);
    const rss = Number(/QGATE_BENCH_MAXRSS_KB=(\d+)/.exec(q.run.stderr)?.[1] ?? NaN);
    const result = JSON.parse(readFileSync(join(root, `qgate-${label}`, 'result.json'), 'utf8'));
    const jsonPath = join(root, `diff-cover-${label}.json`);
    const d = timed('diff-cover', [report, '--compare-branch=main', '--json-report', jsonPath, '-q'], repo);
    if (d.run.status !== 0) throw new Error(`diff-cover failed on ${label}:\n${d.run.stderr}`);
    const dc = JSON.parse(readFileSync(jsonPath, 'utf8'));
    const dcTotal = dc.total_num_lines;
    const dcCovered = dc.total_num_lines - dc.total_num_violations;
    rows.push({
      label,
      qgate: q.seconds,
      diffCover: d.seconds,
      rss,
      agree: dcTotal === result.coverage.newCode.total && dcCovered === result.coverage.newCode.covered,
      q: `${result.coverage.newCode.covered}/${result.coverage.newCode.total}`,
      d: `${dcCovered}/${dcTotal}`,
    });
  }
  process.stdout.write(`Median of ${RUNS} runs after one warm-up run each.\n`);
  process.stdout.write('report     qgate (s)  diff-cover (s)  ratio   qgate peak RSS  new lines covered/coverable (qgate | diff-cover)\n');
  for (const row of rows) {
    process.stdout.write(
      `${row.label.padEnd(10)} ${row.qgate.toFixed(2).padStart(9)}  ${row.diffCover.toFixed(2).padStart(14)}  ${(row.diffCover / row.qgate).toFixed(1).padStart(5)}×  ${(row.rss / 1024).toFixed(0).padStart(10)} MiB  ${row.q} | ${row.d}${row.agree ? '  (agree)' : '  (DIFFER)'}\n`,
    );
  }
  if (!process.env.BENCH_KEEP && !process.env.BENCH_DIR) rmSync(root, { recursive: true, force: true });
  if (rows.some((row) => !row.agree)) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 1;
});
