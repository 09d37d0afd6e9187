/** --previous: trends outlive artifact expiry by extending the last run's scorecard.json; bad files are refused. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QgateError } from '../../src/errors.js';
import { readPreviousTrends, withHistory } from '../../src/scorecard/history.js';
import type { Scorecard } from '../../src/scorecard/model.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qgate-history-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const card = (trend: Array<[string, number | null]>, state = 'active'): Scorecard =>
  ({ schemaVersion: 1, projects: [{ path: 'acme/api', state, trend: trend.map(([generatedAt, overallCoverage]) => ({ generatedAt, overallCoverage })) }] }) as unknown as Scorecard;

describe('scorecard history', () => {
  it('extends each project trend with the earlier run, oldest first, without duplicates', async () => {
    const file = join(dir, 'previous.json');
    await writeFile(file, JSON.stringify(card([['2026-09-01T00:00:00.000Z', 60], ['2026-10-01T00:00:00.000Z', 70], ['bad date', 1]])));
    const previous = await readPreviousTrends(file, 'previous.json');
    const next = withHistory(card([['2026-10-01T00:00:00.000Z', 70], ['2026-11-01T00:00:00.000Z', 80]]), previous);
    expect(next.projects[0]?.trend.map((point) => point.overallCoverage)).toEqual([60, 70, 80]);
  });

  it('refuses a file that is not a scorecard.json, naming it', async () => {
    for (const [name, text] of <Array<[string, string]>>[['not-json.json', '{'], ['future.json', JSON.stringify({ schemaVersion: 2, projects: [] })], ['result.json', JSON.stringify({ schemaVersion: 1, verdict: 'pass' })]]) {
      await writeFile(join(dir, name), text);
      const error = await readPreviousTrends(join(dir, name), name).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(QgateError);
      expect((error as QgateError).message).toContain(`--previous ${name}`);
    }
    await expect(readPreviousTrends(join(dir, 'absent.json'), 'absent.json')).rejects.toThrow('is not a file');
  });
});
