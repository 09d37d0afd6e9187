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
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * One timed run under /usr/bin/time, which counts the CPU (user + sys) and peak RSS of the whole
 * process tree, git children included: on a shared machine CPU time is the honest figure.
 */
function timedOnce(command, args, cwd) {
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', 'BENCH_TIME %U %S %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const measured = /BENCH_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr ?? '');
  const cpu = measured ? Number(measured[1]) + Number(measured[2]) : Number.NaN;
  const rssMiB = measured ? Number(measured[3]) / 1024 : Number.NaN;
  return { seconds, cpu, rssMiB, run };
}

/** One untimed warm-up run (page cache, git's object store), then the median of RUNS timed runs. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
function timed(command, args, cwd) {
  timedOnce(command, args, cwd);
  const runs = Array.from({ length: RUNS }, () => timedOnce(command, args, cwd)).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)];
}

const scripts = dirname(fileURLToPath(import.meta.url));
const cli = join(scripts, '..', 'dist', 'cli', 'main.js');
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/**
 * One row of the table: qgate (median of RUNS), the floor probe (median) and diff-cover (timed by
 * `timeDiffCover`) on one report of the repository's current MR, and whether qgate and diff-cover
 * agree on covered/coverable new lines.
 */
function compareTools(label, report, format, repo, root, timeDiffCover) {
  const out = join(root, `qgate-${label}`);
  const q = timed(process.execPath, [wrapper, 'check', '--base', 'main', '--coverage', report, '--out', out, '--no-comment'], repo);
  if (q.run.status !== 0 && q.run.status !== 1) throw new Error(`qgate failed on ${label}:\n${q.run.stderr}`);
  const floor = timed(process.execPath, [join(scripts, 'floor-probe.mjs'), 'main', report, format], repo);
  if (floor.run.status !== 0) throw new Error(`the floor probe failed on ${label}:\n${floor.run.stderr}`);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const jsonPath = join(root, `diff-cover-${label}.json`);
  const d = timeDiffCover('diff-cover', [report, '--compare-branch=main', '--json-report', jsonPath, '-q'], repo);
  if (d.run.status !== 0) throw new Error(`diff-cover failed on ${label}:\n${d.run.stderr}`);
  const dc = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const dcTotal = dc.total_num_lines;
  const dcCovered = dc.total_num_lines - dc.total_num_violations;
  return {
    label,
    qgate: q.seconds,
    qgateCpu: q.cpu,
    diffCover: d.seconds,
    diffCoverCpu: d.cpu,
    floor: floor.seconds,
    floorCpu: floor.cpu,
    rss: Number(/QGATE_BENCH_MAXRSS_KB=(\d+)/.exec(q.run.stderr)?.[1] ?? NaN),
    agree: dcTotal === result.coverage.newCode.total && dcCovered === result.coverage.newCode.covered,
    q: `${result.coverage.newCode.covered}/${result.coverage.newCode.total}`,
    d: `${dcCovered}/${dcTotal}`,
  };
}

/** Issue 16's targets beside the measured figures, one line each, so a run says plainly what holds. */
function printTargets(rows, k6, cold, large = []) {
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const lines = [];
  const check = (name, value, op, target, unit = '×') => {
    const ok = Number.isFinite(value) && (op === '>=' ? value >= target : value <= target);
    lines.push(`${ok ? 'met    ' : 'NOT MET'}  ${name.padEnd(44)} ${fmt(value, 1).padStart(7)}${unit}  (target ${op} ${target}${unit})`);
  };
  for (const [label, speedup] of [['lcov', 5], ['cobertura', 10], ['every-file', 100]]) {
    const row = byLabel.get(label);
    if (!row) continue;
    check(`${label}: diff-cover wall ÷ qgate wall`, row.diffCover / row.qgate, '>=', speedup);
    check(`${label}: qgate CPU ÷ floor CPU`, row.qgateCpu / row.floorCpu, '<=', 2);
    if (label === 'every-file') check('every-file: qgate peak RSS', row.rss / 1024, '<=', 512, ' MiB');
  }
  if (k6 !== null) {
    check('k6 1 GB NDJSON: naive wall ÷ qgate wall', k6.naive.seconds / k6.qgate.seconds, '>=', 1.5);
    check('k6 1 GB NDJSON: qgate peak RSS', k6.qgate.rssMiB, '<=', 256, ' MiB');
  }
  for (const row of large) check(`${row.label} ${fmt(row.sizeMB / 1000, 1)} GB: qgate peak RSS`, row.rssMiB, '<=', 256, ' MiB');
  const bare = cold[0].cpu;
  for (const row of cold.slice(1)) check(`cold start ${row.label}: CPU ÷ bare node`, row.cpu / bare, '<=', row.label.includes('sample') ? 3 : 2);
  process.stdout.write(`\nTargets (issue 16):\n${lines.join('\n')}\n`);
}

/** The naive pass k6 streams are compared with: readline + JSON.parse of every line. */
const NAIVE_K6 = `
const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.argv[1]) });
let points = 0; const sums = new Map();
rl.on('line', (line) => { if (!line) return; const r = JSON.parse(line); if (r.type === 'Point') { points++; sums.set(r.metric, (sums.get(r.metric) ?? 0) + r.data.value); } });
rl.on('close', () => console.log(points));`;

async function main() {
  if (spawnSync('diff-cover', ['--version']).status !== 0) {
    throw new Error('diff-cover is not installed: the benchmark compares against it and refuses to run without it. Install the Debian package: sudo apt-get install -y diff-cover');
  }
  if (spawnSync('/usr/bin/time', ['true']).status !== 0) throw new Error('/usr/bin/time is missing (Debian package time): it measures CPU and peak RSS.');
  process.stdout.write(`Load when starting: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
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
  for (const [label, report] of [['lcov', lcovPath], ['cobertura', coberturaPath]]) rows.push(compareTools(label, report, label, repo, root, timed));
  const large = await benchLargeReports(repo, root, lcovPath);
  const everyFile = benchEveryFileChanged(repo, root, lcovPath);
  if (everyFile !== null) rows.push(everyFile);
  const k6 = benchK6(root, repo);
  const cold = await benchColdStart(repo);
  process.stdout.write(`\nLoad when done: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  process.stdout.write(`Median of ${RUNS} runs after one warm-up run each; wall s / CPU s (user+sys, whole process tree).\n`);
  process.stdout.write('report     qgate wall/cpu   diff-cover wall/cpu  floor wall/cpu  diff-cover÷qgate (wall)  qgate÷floor (cpu)  qgate RSS  new lines (qgate | diff-cover)\n');
  for (const row of rows) {
    process.stdout.write(
      `${row.label.padEnd(10)} ${fmt(row.qgate).padStart(6)} / ${fmt(row.qgateCpu).padEnd(6)} ${fmt(row.diffCover).padStart(8)} / ${fmt(row.diffCoverCpu).padEnd(8)} ${fmt(row.floor).padStart(6)} / ${fmt(row.floorCpu).padEnd(6)} ${fmt(row.diffCover / row.qgate, 1).padStart(14)}× ${fmt(row.qgateCpu / row.floorCpu, 1).padStart(17)}× ${fmt(row.rss / 1024, 0).padStart(7)} MiB  ${row.q} | ${row.d}${row.agree ? '  (agree)' : '  (DIFFER)'}\n`,
    );
  }
  if (k6 !== null) {
    process.stdout.write(
      `k6 NDJSON ${fmt(k6.sizeMB, 0)} MB: qgate ${fmt(k6.qgate.seconds)} s / ${fmt(k6.qgate.cpu)} s CPU, ${fmt(k6.qgate.rssMiB, 0)} MiB; naive readline+JSON.parse ${fmt(k6.naive.seconds)} s / ${fmt(k6.naive.cpu)} s CPU; naive÷qgate ${fmt(k6.naive.seconds / k6.qgate.seconds, 2)}×; http_req_duration p(95) qgate ${k6.p95} vs k6's formula ${k6.exactP95}${k6.p95 === k6.exactP95 ? ' (equal)' : ' (DIFFER)'}\n`,
    );
  }
  for (const row of cold) process.stdout.write(`cold start ${row.label.padEnd(24)} ${fmt(row.seconds * 1000, 0).padStart(5)} ms wall / ${fmt(row.cpu * 1000, 0).padStart(5)} ms CPU  (${fmt(row.cpu / cold[0].cpu, 1)}× bare node CPU)\n`);
  for (const row of large) process.stdout.write(`large report ${row.label.padEnd(16)} ${fmt(row.sizeMB, 0).padStart(5)} MB: ${fmt(row.seconds)} s wall / ${fmt(row.cpu)} s CPU, peak RSS ${fmt(row.rssMiB, 0)} MiB; new lines ${row.newCode}, overall ${row.overall}\n`);
  printTargets(rows, k6, cold, large);
  if (!process.env.BENCH_KEEP && !process.env.BENCH_DIR) rmSync(root, { recursive: true, force: true });
  if (rows.some((row) => !row.agree)) process.exitCode = 1;
}

/** A k6 `--out json` stream of BENCH_K6_SIZE (default 1GB; 0 skips): qgate versus the naive pass. */
function benchK6(root, repo) {
  const size = process.env.BENCH_K6_SIZE ?? '1GB';
  if (size === '0') return null;
  const stream = join(root, 'k6.json');
  const exact = JSON.parse(execFileSync(process.execPath, [join(scripts, 'make-k6-stream.mjs'), '--out', stream, '--size', size, '--exact'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const out = join(root, 'qgate-k6');
  const qgate = timed(process.execPath, [cli, 'check', '--base', 'main', '--k6', stream, '--out', out, '--no-comment'], repo);
  if (qgate.run.status !== 0 && qgate.run.status !== 1) throw new Error(`qgate failed on the k6 stream:\n${qgate.run.stderr}`);
  const naive = timed(process.execPath, ['-e', NAIVE_K6, stream], repo);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  const p95 = result.performance?.comparison?.metrics?.find((m) => m.metric === 'http_req_duration' && m.stat === 'p(95)')?.current ?? null;
  const exactP95 = exact?.exact?.http_req_duration?.['p(95)'] ?? null;
  return { sizeMB: readFileSync(stream).length / 1e6, qgate, naive, p95, exactP95 };
}

/**
 * Reports of about 1 GB (BENCH_LARGE_MB, default 1000; 0 skips) for the same MR: every file's
 * record made ~46× longer. qgate must stream them with a peak RSS of at most 256 MiB (large-report
 * mode: only the records of changed files keep their lines). One timed run each.
 */
async function benchLargeReports(repo, root, lcovPath) {
  const targetMB = Number(process.env.BENCH_LARGE_MB ?? 1000);
  if (targetMB === 0) return [];
  const paths = readFileSync(lcovPath, 'utf8').split('\n').filter((line) => line.startsWith('SF:')).map((line) => line.slice(3));
  const lines = Math.max(100, Math.round((targetMB * 1e6) / paths.length / 11));
  const bigLcov = join(root, 'big-lcov.info');
  await writeStreamed(bigLcov, (write) => {
    paths.forEach((path, index) => {
      let body = `TN:\nSF:${path}\n`;
      for (let line = 1; line <= lines; line += 1) body += `DA:${line},${(line * 7 + index) % 3}\n`;
      write(`${body}end_of_record\n`);
    });
  });
  const bigCobertura = join(root, 'big-cobertura.xml');
  const coberturaLines = Math.round(lines / 3);
  await writeStreamed(bigCobertura, (write) => {
    write(`<?xml version="1.0" ?>\n<coverage line-rate="0.7" branch-rate="0" version="bench" timestamp="0">\n<sources><source>${repo}</source></sources>\n<packages><package name="all" line-rate="0.7" branch-rate="0"><classes>\n`);
    paths.forEach((path, index) => {
      let body = `<class name="${path}" filename="${path}" line-rate="0.7" branch-rate="0"><methods/><lines>`;
      for (let line = 1; line <= coberturaLines; line += 1) body += `<line number="${line}" hits="${(line * 7 + index) % 3}"/>`;
      write(`${body}</lines></class>\n`);
    });
    write('</classes></package></packages></coverage>\n');
  });
  const rows = [];
  for (const [label, report] of [['lcov', bigLcov], ['cobertura', bigCobertura]]) {
    const out = join(root, `qgate-large-${label}`);
    const run = timedOnce(process.execPath, [cli, 'check', '--base', 'main', '--coverage', report, '--out', out, '--no-comment'], repo);
    if (run.run.status !== 0 && run.run.status !== 1) throw new Error(`qgate failed on the large ${label} report:\n${run.run.stderr}`);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    rows.push({ label, sizeMB: statSync(report).size / 1e6, ...run, newCode: `${result.coverage.newCode.covered}/${result.coverage.newCode.total}`, overall: `${result.coverage.overall.covered}/${result.coverage.overall.total}` });
    rmSync(report, { force: true });
  }
  return rows;
}

/**
 * The every-file-changed MR (a codemod, a licence header): branch `all` edits one line of every
 * file of the base. Same lcov report (the edit keeps every line's coverability). BENCH_EVERY_FILE=0 skips.
 */
function benchEveryFileChanged(repo, root, lcovPath) {
  if (process.env.BENCH_EVERY_FILE === '0') return null;
  git(repo, 'switch', '-q', '-c', 'all', 'main');
  try {
    for (let i = 0; i < FILES; i += 1) writeFileSync(join(repo, pathOf(i)), sourceOf(i, LINES, new Set([5])));
    git(repo, 'commit', '-q', '-am', 'every file');
    // diff-cover takes minutes here (its per-file work grows with the changed files): one timed run, no warm-up.
    return compareTools('every-file', lcovPath, 'lcov', repo, root, timedOnce);
  } finally {
    git(repo, 'switch', '-q', '-f', 'mr');
  }
}

/** `qgate --version`, `qgate check --help` and a small MR (the bundled sample) against bare node. */
async function benchColdStart(repo) {
  const { makeSampleRepo } = await import('./make-sample-repo.mjs');
  const sample = makeSampleRepo(mkdtempSync(join(tmpdir(), 'qgate-bench-sample-')));
  try {
    return [
      ['bare node -e 0', ['-e', '0'], repo],
      ['qgate --version', [cli, '--version'], repo],
      ['qgate check --help', [cli, 'check', '--help'], repo],
      ['qgate check (sample MR)', [cli, 'check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--no-comment'], sample.repo],
    ].map(([label, args, cwd]) => ({ label, ...timed(process.execPath, args, cwd) }));
  } finally {
    rmSync(dirname(sample.repo), { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 1;
});
