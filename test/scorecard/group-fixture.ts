/**
 * The loopback group the scorecard tests read: 60 projects in `acme`, `acme/web` and
 * `acme/data`, listed 25 per page. By index i (project id 100 + i, path p-NN):
 *   i % 5 = 0  gold:   3 results (coverage 81, 83, 85), every check passes
 *   i % 5 = 1  silver: 1 result (75%), gate passes, E2E passes, CODEOWNERS in .gitlab/; no mutation, no ADR
 *   i % 5 = 2  bronze: 2 results (50, 55%), the new-code gate failed, README only
 *   i % 5 = 3  none:   qgate jobs without artifacts (no result at all)
 *   i % 5 = 4  none:   a 90% result but a 40-byte README; except i = 4 (every request 500s)
 *              and i = 9 (archived). i = 14 and i = 19 carry hostile names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyResult, failingResult } from '../render/result-fixtures.js';
import type { FakeGitLab, FakePipeline, FakeProject } from '../support/fake-gitlab.js';

export const TOKEN = 'glpat-SCORECARD-secret-123456';
export const NOW = new Date('2026-11-02T12:00:00Z');
export const ARTIFACT = 'qgate-report/result.json';
export const FAILING_ID = 104;
export const HOSTILE_HTML = '<img src=x onerror=alert(1)>"\'&';
export const HOSTILE_CSV = '=HYPERLINK("http://evil.example","x"),y';

interface ResultInit {
  at: string;
  coverage: number | null;
  gate?: 'pass' | 'fail';
  e2e?: { total: number; passed: number; failed: number };
  perf?: { baseline: boolean; regressed: number };
  mutation?: number;
}

/** A schema-valid result.json (the readers refuse damaged ones), built on the render fixtures' shapes. */
export function resultJson(init: ResultInit): string {
  const full = failingResult();
  return JSON.stringify(
    emptyResult({
      generatedAt: init.at,
      verdict: init.gate === 'fail' ? 'fail' : 'pass',
      verdictReason: '',
      gates: init.gate ? [{ id: 'new_code_coverage', status: init.gate, blocking: true, actual: init.gate === 'pass' ? 85 : 40, threshold: 80, unit: '%', reason: '', formula: '' }] : [],
      coverage: init.coverage === null ? null : { newCode: { covered: 0, total: 0, percent: null, files: [], unmeasuredFiles: [] }, overall: { covered: 0, total: 0, percent: init.coverage, files: 1 }, unresolvedPaths: [] },
      e2e: init.e2e ? { scenarios: { ...init.e2e, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: 0 }, failed: [], failedOmitted: 0, flakyScenarios: [], filteredOut: 0, tags: null, runErrors: [], warnings: [] } : null,
      performance:
        init.perf && full.performance
          ? {
              ...full.performance,
              comparison: {
                baselineAvailable: init.perf.baseline,
                likeForLike: true,
                reason: null,
                metrics: Array.from({ length: init.perf.regressed }, () => ({ ...full.performance!.comparison.metrics[1]!, status: 'regressed' as const })),
              },
            }
          : null,
      mutation: init.mutation === undefined || full.mutation === null ? null : { ...full.mutation, score: init.mutation },
    }),
  );
}

const README = `# Project\n\n${'This project does useful things. '.repeat(12)}\n`; // 408 bytes
const SHORT_README = '# p\n\nTODO: write a README for this.....\n'; // 40 bytes

let nextPipeline = 5000;

function pipeline(results: Array<string | null>, day: number): FakePipeline {
  nextPipeline += 1;
  const id = nextPipeline;
  return {
    id,
    ref: 'main',
    sha: String(id).padStart(40, '0'),
    status: 'success',
    createdAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00Z`,
    jobs: [
      { id: id * 10, name: 'test', status: 'success', artifacts: new Map([['coverage/lcov.info', 'TN:']]) },
      ...results.map((text, index) => ({ id: id * 10 + 1 + index, name: 'qgate', status: 'success', artifacts: text === null ? null : new Map([[ARTIFACT, text]]) })),
    ],
  };
}

export function seedGroup(gitlab: FakeGitLab): FakeProject[] {
  gitlab.state.groups.push({ id: 1, fullPath: 'acme' }, { id: 2, fullPath: 'acme/web' }, { id: 3, fullPath: 'acme/data' }, { id: 9, fullPath: 'other' });
  gitlab.addProject({ id: 999, pathWithNamespace: 'other/outside' });
  const projects: FakeProject[] = [];
  for (let i = 0; i < 60; i += 1) {
    const namespace = i < 20 ? 'acme' : i < 40 ? 'acme/web' : 'acme/data';
    const slug = `p-${String(i).padStart(2, '0')}`;
    const project = gitlab.addProject({ id: 100 + i, pathWithNamespace: `${namespace}/${slug}`, name: i === 14 ? HOSTILE_HTML : i === 19 ? HOSTILE_CSV : slug });
    const files = project.files;
    const kind = i % 5;
    if (kind === 0) {
      files.set('README.md', README).set('CODEOWNERS', '* @leads\n').set('docs/adr/0001-record-decisions.md', '# 1\n').set('docs/adr/template.png', 'x');
      const full = (at: string, coverage: number) => resultJson({ at, coverage, gate: 'pass', e2e: { total: 10, passed: 10, failed: 0 }, perf: { baseline: true, regressed: 0 }, mutation: 70 });
      // Oldest first, as GitLab creates them; a pipeline without a qgate job in between.
      project.pipelines.push(pipeline([full('2026-10-20T10:00:00.000Z', 81)], 20), pipeline([], 21), pipeline([full('2026-10-25T10:00:00.000Z', 83)], 25));
      // A retried qgate job: the newer attempt (85%) counts, the first (12%) does not.
      project.pipelines.push(pipeline([full('2026-10-31T09:00:00.000Z', 12), full('2026-10-31T10:00:00.000Z', 85)], 31));
    } else if (kind === 1) {
      files.set('README.md', README).set('.gitlab/CODEOWNERS', '* @leads\n').set('src/index.ts', '');
      project.pipelines.push(pipeline([resultJson({ at: '2026-10-30T10:00:00.000Z', coverage: 75, gate: 'pass', e2e: { total: 4, passed: 4, failed: 0 }, perf: { baseline: false, regressed: 0 } })], 30));
    } else if (kind === 2) {
      files.set('readme.rst', README).set('doc/adr/.keep', '');
      project.pipelines.push(
        pipeline([resultJson({ at: '2026-10-10T10:00:00.000Z', coverage: 50, gate: 'fail' })], 10),
        { ...pipeline([resultJson({ at: '2026-10-28T10:00:00.000Z', coverage: 55, gate: 'fail', e2e: { total: 3, passed: 2, failed: 1 } })], 28), status: 'failed' },
      );
    } else if (kind === 3) {
      files.set('README.md', README);
      project.pipelines.push(pipeline([null], 29));
    } else {
      files.set('README', SHORT_README).set('CODEOWNERS', '* @x\n');
      project.pipelines.push(pipeline([resultJson({ at: '2026-10-29T10:00:00.000Z', coverage: 90, gate: 'pass' })], 29));
      if (i === 9) project.archived = true;
    }
    projects.push(project);
  }
  return projects;
}

/**
 * The same group as `--from DIR` evidence, written the way docs/scorecard.md says an export
 * job would: each project's qgate result.json artifacts (newest `keep` pipelines) and its files.
 */
export function writeEvidenceDir(gitlab: FakeGitLab, dir: string, keep = 20): void {
  for (const project of gitlab.state.projects) {
    if (!project.pathWithNamespace.startsWith('acme/')) continue;
    const root = join(dir, ...project.pathWithNamespace.split('/'));
    mkdirSync(join(root, 'results'), { recursive: true });
    writeFileSync(join(root, 'project.json'), JSON.stringify({ name: project.name, webUrl: `${gitlab.url}/${project.pathWithNamespace}`, defaultBranch: project.defaultBranch, archived: project.archived }));
    for (const run of [...project.pipelines].reverse().slice(0, keep)) {
      const job = run.jobs.filter((candidate) => candidate.name === 'qgate' && candidate.artifacts).sort((a, b) => b.id - a.id)[0];
      const text = job?.artifacts?.get(ARTIFACT);
      if (text !== undefined) writeFileSync(join(root, 'results', `${run.id}.json`), text);
    }
    for (const [path, text] of project.files) {
      mkdirSync(join(root, 'repo', ...path.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(root, 'repo', ...path.split('/')), text);
    }
  }
}
