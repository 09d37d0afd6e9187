// The I/O floor of a coverage-on-new-code check, to judge qgate's time against (issue 16):
// `git diff -M -C -U0 <base>...HEAD` of the range, plus ONE pass over the report's bytes that
// finds the records of the changed files (lcov `SF:` lines, Cobertura `<class ... filename="...">`)
// and counts their coverable lines. Nothing else: no config, no path resolution, no report files.
// Whatever qgate does beyond this is overhead to be justified.
//
//   node scripts/floor-probe.mjs <base> <report> [lcov|cobertura]    (run inside the repository)
//
// Prints one JSON line: {"changedFiles", "recordsFound", "coverableInChanged", "wallMs", "cpuMs"}.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';

const [base, report, formatArg] = process.argv.slice(2);
if (!base || !report) {
  process.stderr.write('usage: node scripts/floor-probe.mjs <base> <report> [lcov|cobertura]\n');
  process.exit(2);
}
const format = formatArg ?? (report.endsWith('.xml') ? 'cobertura' : 'lcov');
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();

/** Changed file paths from `git diff --name-only`-like parsing of the -U0 diff (the `+++ b/` lines). */
function changedFiles() {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['diff', '-M', '-C', '-U0', '--no-color', `${base}...HEAD`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const files = new Set();
    let carry = '';
    git.stdout.setEncoding('utf8');
    git.stdout.on('data', (chunk) => {
      const text = carry + chunk;
      let at = 0;
      let found;
      while ((found = text.indexOf('\n+++ b/', at)) !== -1) {
        const end = text.indexOf('\n', found + 7);
        if (end === -1) break;
        files.add(text.slice(found + 7, end));
        at = end;
      }
      carry = text.slice(Math.max(at, text.length - 4096));
    });
    git.on('error', reject);
    git.on('close', (code) => (code === 0 ? resolve(files) : reject(new Error(`git diff exited ${code}`))));
  });
}

/** One pass over the bytes: the records of wanted files, and their coverable lines. */
async function scan(wanted) {
  const marker = Buffer.from(format === 'lcov' ? '\nSF:' : 'filename="');
  const lineMarker = Buffer.from(format === 'lcov' ? '\nDA:' : '<line ');
  const endMarker = Buffer.from(format === 'lcov' ? '\nend_of_record' : '</class>');
  const pathEnd = format === 'lcov' ? 0x0a : 0x22;
  let records = 0;
  let coverable = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(report, { highWaterMark: 1 << 20 })) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let at = 0;
    let keepFrom = buffer.length;
    for (;;) {
      const found = buffer.indexOf(marker, at);
      if (found === -1) break;
      const pathStart = found + marker.length;
      const end = buffer.indexOf(pathEnd, pathStart);
      if (end === -1) {
        keepFrom = found;
        break;
      }
      const path = buffer.toString('utf8', pathStart, end);
      at = end;
      if (!wanted.has(path)) continue;
      const close = buffer.indexOf(endMarker, end);
      if (close === -1) {
        keepFrom = found;
        break;
      }
      records++;
      for (let line = buffer.indexOf(lineMarker, end); line !== -1 && line < close; line = buffer.indexOf(lineMarker, line + 1)) coverable++;
      at = close;
    }
    if (keepFrom === buffer.length) keepFrom = Math.max(at, buffer.length - 4096);
    carry = Buffer.from(buffer.subarray(keepFrom));
  }
  return { records, coverable };
}

const wanted = await changedFiles();
const { records, coverable } = await scan(wanted);
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({
    changedFiles: wanted.size,
    recordsFound: records,
    coverableInChanged: coverable,
    wallMs: Math.round(Number(process.hrtime.bigint() - start) / 1e6),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  })}\n`,
);
