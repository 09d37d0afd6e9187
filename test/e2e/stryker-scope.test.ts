/**
 * `qgate scope` drives a real Stryker run on a tiny MR, and the mutation gate reads its report:
 * only the changed ranges are mutated, and the gate states the new-code sample.
 * Stryker runs niced with one test runner process (the CI machine is shared).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepo, removeRepos } from './git-repo.js';
import { readResult, runQgate } from './helpers.js';

const run = promisify(execFile);
const STRYKER = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');

const BASE_SOURCE = `export function total(items) {
  let sum = 0;
  for (const item of items) sum += item.price * item.quantity;
  return sum;
}

export function discount(sum) {
  return sum > 100 ? sum * 0.9 : sum;
}
`;

const HEAD_SOURCE = `${BASE_SOURCE.replace('sum * 0.9', 'sum * 0.8')}
export function shipping(sum) {
  if (sum >= 50) return 0;
  return 5;
}
`;

const TEST = `import assert from 'node:assert/strict';
import { total, discount, shipping } from '../src/price.js';
assert.equal(total([{ price: 2, quantity: 3 }]), 6);
assert.equal(discount(50), 50);
assert.equal(discount(200), 160);
if (shipping) assert.equal(shipping(10), 5);
`;

const STRYKER_CONFIG = JSON.stringify({
  testRunner: 'command',
  commandRunner: { command: 'node test/price.test.js' },
  plugins: [],
  reporters: ['json'],
  concurrency: 1,
  coverageAnalysis: 'off',
  tempDirName: '.stryker-tmp',
});

afterAll(removeRepos);

describe('qgate scope → Stryker → mutation gate', () => {
  it('mutates only the changed ranges and the gate reads the report', async () => {
    const repo = await createRepo('stryker-scope');
    await repo.commit('base', {
      'package.json': '{"type":"module","private":true}\n',
      '.gitignore': '.stryker-tmp\nreports\nqgate-report\n',
      'stryker.config.json': STRYKER_CONFIG,
      'src/price.js': BASE_SOURCE,
      'test/price.test.js': TEST,
    });
    await repo.git('checkout', '-q', '-b', 'mr');
    await repo.commit('mr', { 'src/price.js': HEAD_SOURCE });

    const scope = runQgate(repo.dir, ['scope', '--base', 'main']);
    expect(scope).toMatchObject({ status: 0, stderr: '' });
    // Line 8 changed and git's diff adds lines 9-13 (it keeps the old closing brace as line 14); no test file.
    expect(scope.stdout).toBe('src/price.js:8-13\n');
    const json = JSON.parse(runQgate(repo.dir, ['scope', '--base', 'main', '--format', 'json']).stdout) as { skipped: unknown[] };
    expect(json.skipped).toEqual([]);

    await run('nice', ['-n', '10', process.execPath, STRYKER, 'run', '--mutate', scope.stdout.trim()], { cwd: repo.dir, timeout: 120_000 });
    const report = JSON.parse(await readFile(join(repo.dir, 'reports', 'mutation', 'mutation.json'), 'utf8')) as {
      files: Record<string, { mutants: Array<{ status: string; location: { start: { line: number }; end: { line: number } } }> }>;
    };
    expect(Object.keys(report.files)).toEqual(['src/price.js']);
    const mutants = report.files['src/price.js']!.mutants;
    expect(mutants.length).toBeGreaterThan(3);
    for (const mutant of mutants) {
      const { start, end } = mutant.location;
      const inRange = start.line >= 8 && end.line <= 13;
      expect(inRange, `mutant at ${start.line}-${end.line} lies outside the changed ranges`).toBe(true);
    }
    // The unchanged code has mutable operators (line 3's `*`, `+=`): none of them was mutated.
    expect(mutants.some((mutant) => mutant.location.start.line < 8)).toBe(false);

    const check = runQgate(repo.dir, ['check', '--base', 'main', '--mutation', 'reports/mutation/mutation.json', '--no-comment']);
    expect(check.stderr).toBe('');
    const gate = readResult(repo.dir).gates.find((candidate) => candidate.id === 'mutation')!;
    const killed = mutants.filter((mutant) => mutant.status === 'Killed').length;
    const survived = mutants.filter((mutant) => mutant.status === 'Survived').length;
    const timeout = mutants.filter((mutant) => mutant.status === 'Timeout').length;
    expect(gate.reason).toContain(`${mutants.length} mutants on new code: ${killed} killed, ${survived} survived, ${timeout} timeout`);
    expect(['pass', 'fail']).toContain(gate.status);
  }, 150_000);
});
