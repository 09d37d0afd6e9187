// `npm run test:fuzz`: the fuzz suite on a random seed with many cases per family (QGATE_FUZZ=long),
// then one line per family (cases run, accepted, refused with a clear error, failures) and the total.
// QGATE_FUZZ_SEED=<n> replays a run. Exits non-zero when any case broke an invariant.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'qgate-fuzz-summary-'));
const summary = join(dir, 'summary.jsonl');
const run = spawnSync('npx', ['vitest', 'run', 'test/fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, QGATE_FUZZ: 'long', QGATE_FUZZ_SUMMARY: summary },
});
const lines = existsSync(summary) ? readFileSync(summary, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
rmSync(dir, { recursive: true, force: true });

const width = Math.max(...lines.map((line) => line.family.length), 6);
const total = { cases: 0, accepted: 0, failures: 0 };
process.stdout.write(`\nqgate fuzz (seed ${lines[0]?.seed ?? '?'}; replay with QGATE_FUZZ_SEED=<seed> npm run test:fuzz)\n`);
process.stdout.write(`${'family'.padEnd(width)}  ${'cases'.padStart(6)}  ${'parsed'.padStart(6)}  ${'refused'.padStart(7)}  ${'failures'.padStart(8)}  ${'markup reached the report (pipeline families)'}\n`);
for (const line of lines.sort((a, b) => a.family.localeCompare(b.family))) {
  total.cases += line.cases;
  total.accepted += line.accepted;
  total.failures += line.failures;
  process.stdout.write(`${line.family.padEnd(width)}  ${String(line.cases).padStart(6)}  ${String(line.accepted).padStart(6)}  ${String(line.cases - line.accepted).padStart(7)}  ${String(line.failures).padStart(8)}${line.family.includes(':') ? `  ${line.reached}` : ''}\n`);
  for (const example of line.examples) process.stdout.write(`    ${example.problem}\n      input: ${example.input}\n`);
}
process.stdout.write(`${'total'.padEnd(width)}  ${String(total.cases).padStart(6)}  ${String(total.accepted).padStart(6)}  ${String(total.cases - total.accepted).padStart(7)}  ${String(total.failures).padStart(8)}\n`);
process.exit(run.status !== 0 || total.failures > 0 || lines.length === 0 ? 1 : 0);
