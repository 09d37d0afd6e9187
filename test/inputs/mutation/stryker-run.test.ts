/**
 * qgate against a REAL Stryker run: StrykerJS 9 with the vitest runner on
 * fixtures/mutation/stryker-project (see scripts/make-stryker-fixture.mjs). The committed run in
 * fixtures/mutation/generated/ is checked against Stryker's own clear-text table; then Stryker
 * runs again (about 10 s) and the fresh report must agree with its fresh table and with the
 * committed run. Set QGATE_SKIP_STRYKER=1 to skip the fresh run (e.g. without dev dependencies).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readMutationReport } from '../../../src/inputs/mutation/registry.js';
import { measureMutation } from '../../../src/measure/mutation-score.js';
import type { MutationResult } from '../../../src/model/mutation.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const GENERATED = join(REPO, 'fixtures', 'mutation', 'generated');

/** One row of Stryker's clear-text score table. */
interface TableRow {
  name: string;
  score: number | null;
  covered: number | null;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  errors: number;
}

/**
 * Reads the clear-text reporter's table:
 * `All files |  69.23 |   85.71 |       18 |         0 |          3 |        5 |        0 |`.
 */
function parseScoreTable(text: string): TableRow[] {
  const header = text.split('\n').findIndex((line) => /^File\s*\|\s*total\s*\|\s*covered\s*\|\s*# killed\s*\|\s*# timeout\s*\|\s*# survived\s*\|\s*# no cov\s*\|\s*# errors\s*\|/.test(line));
  if (header === -1) throw new Error('no score table in the clear-text output');
  const rows: TableRow[] = [];
  for (const line of text.split('\n').slice(header + 1)) {
    if (/^-+\|/.test(line)) continue;
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 8) break;
    const percent = (cell: string | undefined): number | null => (cell === undefined || cell === 'n/a' ? null : Number(cell));
    rows.push({
      name: cells[0] ?? '',
      score: percent(cells[1]),
      covered: percent(cells[2]),
      killed: Number(cells[3]),
      timeout: Number(cells[4]),
      survived: Number(cells[5]),
      noCoverage: Number(cells[6]),
      errors: Number(cells[7]),
    });
  }
  return rows;
}

async function measureFile(path: string): Promise<MutationResult> {
  const report = await readMutationReport(path);
  return measureMutation(
    report,
    { source: 'git', baseSha: null, headSha: null, files: [], deletedFiles: 0 },
    { repo: { root: '/sample', files: new Set(['src/cart.js', 'test/cart.test.js']) }, reportDir: 'reports/mutation' },
  );
}

function expectSameAsTable(result: MutationResult, table: TableRow[]): void {
  const all = table.find((row) => row.name === 'All files');
  const cart = table.find((row) => row.name === 'cart.js');
  if (!all || !cart) throw new Error(`unexpected table rows: ${table.map((row) => row.name).join(', ')}`);
  expect({ killed: result.killed, timeout: result.timeout, survived: result.survived, noCoverage: result.noCoverage, errors: result.errors }).toEqual({
    killed: all.killed,
    timeout: all.timeout,
    survived: all.survived,
    noCoverage: all.noCoverage,
    errors: all.errors,
  });
  // Stryker prints toFixed(2); qgate floors to 2 decimals: never more than 0.01 apart.
  expect(Math.abs((result.score ?? Number.NaN) - (all.score ?? Number.NaN))).toBeLessThan(0.01);
  // "covered" is metrics' mutationScoreBasedOnCoveredCode: detected ÷ (detected + survived).
  expect(Math.abs((result.detected * 100) / (result.detected + result.survived) - (all.covered ?? Number.NaN))).toBeLessThan(0.01);
  expect(result.files).toHaveLength(1);
  expect(result.files[0]).toMatchObject({ path: 'src/cart.js', killed: cart.killed, survived: cart.survived, noCoverage: cart.noCoverage });
  expect(result.unresolvedFiles).toEqual([]);
}

describe('the committed Stryker run (fixtures/mutation/generated)', () => {
  it('has qgate’s counts equal to Stryker’s own clear-text table', async () => {
    const table = parseScoreTable(readFileSync(join(GENERATED, 'stryker-sample.clear-text.txt'), 'utf8'));
    const result = await measureFile(join(GENERATED, 'stryker-sample.mutation.json'));
    expectSameAsTable(result, table);
    expect(result).toMatchObject({ killed: 18, timeout: 0, survived: 3, noCoverage: 5, errors: 0, ignored: 2, valid: 26, score: 69.23 });
  });

  it('lists the mutants the clear-text reporter printed as Survived and NoCoverage', async () => {
    const text = readFileSync(join(GENERATED, 'stryker-sample.clear-text.txt'), 'utf8');
    const printed = [...text.matchAll(/^\[(Survived|NoCoverage)\] (\w+)\nsrc\/cart\.js:(\d+):(\d+)$/gm)].map((match) => `${match[1]} ${match[2]} ${match[3]}:${match[4]}`);
    const report = await readMutationReport(join(GENERATED, 'stryker-sample.mutation.json'));
    const alive = report.files
      .flatMap((file) => file.mutants)
      .filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage')
      .map((mutant) => `${mutant.status} ${mutant.mutatorName} ${mutant.location.start.line}:${mutant.location.start.column}`);
    expect(alive.sort()).toEqual(printed.sort());
    expect(printed).toHaveLength(8);
  });
});

describe.skipIf(process.env.QGATE_SKIP_STRYKER === '1')('a fresh Stryker run (scripts/make-stryker-fixture.mjs)', () => {
  const out = mkdtempSync(join(tmpdir(), 'qgate-stryker-out-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('agrees with its own clear-text table, and with the committed run', async () => {
    const run = spawnSync(process.execPath, [join(REPO, 'scripts', 'make-stryker-fixture.mjs'), '--out', out], { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const fresh = await measureFile(join(out, 'stryker-sample.mutation.json'));
    expectSameAsTable(fresh, parseScoreTable(readFileSync(join(out, 'stryker-sample.clear-text.txt'), 'utf8')));
    const committed = await measureFile(join(GENERATED, 'stryker-sample.mutation.json'));
    // Killed and Timeout could trade places on a loaded machine; what is alive and the score cannot.
    const stable = ({ total, survived, noCoverage, errors, ignored, pending, detected, valid, score }: MutationResult) =>
      ({ total, survived, noCoverage, errors, ignored, pending, detected, valid, score });
    expect(stable(fresh)).toEqual(stable(committed));
    const outcome = async (path: string): Promise<string[]> =>
      (await readMutationReport(path)).files
        .flatMap((file) => file.mutants)
        .map((mutant) => `${mutant.id} ${mutant.mutatorName} ${mutant.status === 'Timeout' ? 'Killed' : mutant.status}`)
        .sort();
    expect(await outcome(join(out, 'stryker-sample.mutation.json'))).toEqual(await outcome(join(GENERATED, 'stryker-sample.mutation.json')));
  }, 300_000);
});
