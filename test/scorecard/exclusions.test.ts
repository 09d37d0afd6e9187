/** Waivers in plain sight on the scorecard (issue 18 item 3): each project's coverage exclusions added, from the results read. */
import { describe, expect, it } from 'vitest';
import { snapshotResult } from '../../src/scorecard/snapshot.js';
import { scoreProject } from '../../src/scorecard/evaluate.js';
import type { ProjectEvidence, ResultSnapshot } from '../../src/scorecard/model.js';
import { loadRubric } from '../../src/scorecard/load-rubric.js';
import { NOW, resultJson } from './group-fixture.js';

function withWaivers(coverageExclusions: number | null): string {
  const data = JSON.parse(resultJson({ at: '2026-10-31T10:00:00.000Z', coverage: 80 })) as { diff: Record<string, unknown> };
  if (coverageExclusions !== null) data.diff.waivers = { coverageExclusions, skippedTests: 0, listed: [] };
  return JSON.stringify(data);
}

describe('coverage exclusions on the scorecard', () => {
  it('reads them from each result, and null from a qgate that did not count them', () => {
    expect((snapshotResult(withWaivers(3)) as ResultSnapshot).newExclusions).toBe(3);
    expect((snapshotResult(withWaivers(null)) as ResultSnapshot).newExclusions).toBeNull();
  });

  it('adds them up over the default-branch results and merged MRs read', async () => {
    const rubric = await loadRubric('gates/scorecard.yml', 'gates/scorecard.yml');
    const snap = (count: number | null) => snapshotResult(withWaivers(count)) as ResultSnapshot;
    const evidence = (results: ResultSnapshot[], mergeRequestResults: ResultSnapshot[] = []): ProjectEvidence =>
      ({ path: 'acme/x', name: 'x', webUrl: null, defaultBranch: 'main', state: 'active', failure: null, results, repo: null, notes: [], mergeRequestResults }) as ProjectEvidence;
    expect(scoreProject(rubric, evidence([snap(2), snap(0)], [snap(1)]), NOW).exclusionsAdded).toBe(3);
    expect(scoreProject(rubric, evidence([snap(null)]), NOW).exclusionsAdded).toBeNull();
  });
});
