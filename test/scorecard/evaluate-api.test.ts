import { describe, expect, it } from 'vitest';
import { evaluateApiCheck, hoursToGreen } from '../../src/scorecard/evaluate-api.js';
import type { ApiFacts, ProjectEvidence, RubricCheck } from '../../src/scorecard/model.js';

const NOW = new Date('2026-11-02T12:00:00Z');
const facts = (api: Partial<ApiFacts>): ProjectEvidence => ({
  path: 'acme/p', name: 'p', webUrl: null, defaultBranch: 'main', state: 'active', failure: null, results: [], repo: null, notes: [],
  api: { protection: null, mergedBranches: null, releases: null, pipelines: null, environments: null, featureFlags: null, readmeUpdatedAt: null, links: null, ...api },
});
const check = (type: RubricCheck['type'], bars: Partial<RubricCheck> = {}): RubricCheck => ({ id: type, type, rationale: 'r', ...bars });

describe('API-measured checks', () => {
  it('protected_branch needs protection and the approvals', () => {
    expect(evaluateApiCheck(check('protected_branch', { minApprovals: 1 }), facts({ protection: { protected: true, approvals: 2 } }), NOW).status).toBe('pass');
    expect(evaluateApiCheck(check('protected_branch', { minApprovals: 1 }), facts({ protection: { protected: false, approvals: 0 } }), NOW).value).toBe('main not protected');
    expect(evaluateApiCheck(check('protected_branch'), facts({}), NOW).status).toBe('no-data');
    // GitLab CE: no approval rules to read, so approvals are unknown, never 0.
    const ce = facts({ protection: { protected: true, approvals: null } });
    expect(evaluateApiCheck(check('protected_branch', { minApprovals: 1 }), ce, NOW).status).toBe('no-data');
    expect(evaluateApiCheck(check('protected_branch', { minApprovals: 0 }), ce, NOW).status).toBe('pass');
  });
  it('branch_naming measures the share matching the pattern', () => {
    const outcome = evaluateApiCheck(check('branch_naming', { pattern: '^feature/[A-Z]+-\\d+', minShare: 80 }), facts({ mergedBranches: ['feature/AB-1', 'feature/AB-2', 'fix-typo', 'feature/AB-3'] }), NOW);
    expect(outcome).toMatchObject({ status: 'fail', measure: 75 });
    expect(outcome.value).toContain('not "fix-typo"');
  });
  it('release_cadence counts releases in the window', () => {
    expect(evaluateApiCheck(check('release_cadence', { days: 90 }), facts({ releases: ['2026-10-01T00:00:00Z', '2025-01-01T00:00:00Z'] }), NOW)).toMatchObject({ status: 'pass', measure: 1 });
    expect(evaluateApiCheck(check('release_cadence', { days: 90 }), facts({ releases: ['2025-01-01T00:00:00Z'] }), NOW).status).toBe('fail');
  });
  it('pipeline_health: success rate and median hours from red to green', () => {
    const pipelines = [
      { status: 'success', finishedAt: '2026-10-05T10:00:00Z' },
      { status: 'failed', finishedAt: '2026-10-04T10:00:00Z' },
      { status: 'success', finishedAt: '2026-10-03T12:00:00Z' },
      { status: 'failed', finishedAt: '2026-10-03T10:00:00Z' },
      { status: 'success', finishedAt: '2026-10-02T10:00:00Z' },
    ];
    expect(hoursToGreen(pipelines)).toEqual([2, 24]);
    expect(evaluateApiCheck(check('pipeline_health', { minSuccessRate: 60, maxHoursToGreen: 24 }), facts({ pipelines }), NOW)).toMatchObject({ status: 'pass', measure: 60 });
    expect(evaluateApiCheck(check('pipeline_health', { minSuccessRate: 60, maxHoursToGreen: 12 }), facts({ pipelines }), NOW).status).toBe('fail');
  });
  it('deployments need production and non-production', () => {
    expect(evaluateApiCheck(check('deployments'), facts({ environments: [{ name: 'prod', tier: 'production', lastDeployedAt: '2026-10-01T00:00:00Z' }] }), NOW).status).toBe('fail');
    expect(evaluateApiCheck(check('deployments'), facts({ environments: [{ name: 'prod', tier: 'production', lastDeployedAt: '2026-10-01T00:00:00Z' }, { name: 'stg', tier: 'staging', lastDeployedAt: '2026-10-01T00:00:00Z' }] }), NOW).status).toBe('pass');
  });
  it('feature_flags, readme_fresh, monitoring', () => {
    expect(evaluateApiCheck(check('feature_flags', { minFlags: 1 }), facts({ featureFlags: 0 }), NOW).status).toBe('fail');
    expect(evaluateApiCheck(check('readme_fresh', { maxAgeDays: 30 }), facts({ readmeUpdatedAt: '2026-10-20T00:00:00Z' }), NOW).status).toBe('pass');
    expect(evaluateApiCheck(check('readme_fresh', { maxAgeDays: 30 }), facts({ readmeUpdatedAt: '2025-10-20T00:00:00Z' }), NOW).status).toBe('fail');
    expect(evaluateApiCheck(check('monitoring'), facts({ links: { monitoring: 'https://g', incidents: null } }), NOW).value).toBe('only monitoring declared');
  });
});
