/**
 * The checks measured from the GitLab API (or `project.json`'s `api` offline): protected default
 * branch with approvals, branch naming, release cadence, pipeline health, deployments, feature
 * flags, README freshness, monitoring/incident links. Pure; `ApiFacts` parts that GitLab did not
 * answer make their check "no data" with that said, never a pass.
 */
import type { ApiFacts, CheckOutcome, ProjectEvidence, RubricCheck } from './model.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const API_TYPES = new Set<RubricCheck['type']>(['protected_branch', 'branch_naming', 'release_cadence', 'pipeline_health', 'deployments', 'feature_flags', 'readme_fresh', 'monitoring']);

function result(check: RubricCheck, pass: boolean, value: string, measure: number | null): CheckOutcome {
  return { id: check.id, status: pass ? 'pass' : 'fail', value, measure };
}

function noData(check: RubricCheck, what: string): CheckOutcome {
  return { id: check.id, status: 'no-data', value: `${what} not collected`, measure: null };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Hours from each first red default-branch pipeline to the next green one, oldest first. */
export function hoursToGreen(pipelines: NonNullable<ApiFacts['pipelines']>): number[] {
  const oldestFirst = [...pipelines].sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
  const spans: number[] = [];
  let redSince: number | null = null;
  for (const pipeline of oldestFirst) {
    if (pipeline.status === 'failed' && redSince === null) redSince = Date.parse(pipeline.finishedAt);
    if (pipeline.status === 'success' && redSince !== null) {
      spans.push((Date.parse(pipeline.finishedAt) - redSince) / HOUR_MS);
      redSince = null;
    }
  }
  return spans;
}

function round(value: number): number {
  return Number(value.toFixed(1));
}

export function evaluateApiCheck(check: RubricCheck, evidence: ProjectEvidence, now: Date): CheckOutcome {
  const api = evidence.api ?? null;
  const links = api?.links ?? evidence.waivers?.links ?? null;
  if (check.type === 'monitoring') {
    const declared = [links?.monitoring ? 'monitoring' : null, links?.incidents ? 'incidents' : null].filter((item) => item !== null);
    return result(check, declared.length === 2, declared.length === 0 ? 'no links: declare `links: { monitoring, incidents }` in .qgate-scorecard.yml' : declared.length === 1 ? `only ${declared[0]} declared` : 'monitoring and incidents declared', declared.length);
  }
  if (api === null) return noData(check, 'API facts');
  switch (check.type) {
    case 'protected_branch': {
      if (api.protection === null) return noData(check, 'branch protection');
      const min = check.minApprovals ?? 1;
      if (!api.protection.protected) return result(check, false, `${evidence.defaultBranch ?? 'default branch'} not protected`, 0);
      if (api.protection.approvals === null) {
        // GitLab CE has no approval rules (an EE field): protected is all that can be said.
        return min > 0 ? noData(check, 'required approvals (approval rules are not in this GitLab edition)') : result(check, true, 'protected', 0);
      }
      return result(check, api.protection.approvals >= min, `protected, ${api.protection.approvals} approval${api.protection.approvals === 1 ? '' : 's'} required (min ${min})`, api.protection.approvals);
    }
    case 'branch_naming': {
      if (api.mergedBranches === null) return noData(check, 'merged MRs');
      if (api.mergedBranches.length === 0) return result(check, false, 'no merged MR', null);
      const pattern = new RegExp(check.pattern ?? '.');
      const matching = api.mergedBranches.filter((branch) => pattern.test(branch)).length;
      const share = (matching / api.mergedBranches.length) * 100;
      const example = api.mergedBranches.find((branch) => !pattern.test(branch));
      return result(check, share >= (check.minShare ?? 80), `${matching} of ${api.mergedBranches.length} MR branches match ${check.pattern ?? ''}${example === undefined ? '' : ` (e.g. not "${example.slice(0, 60)}")`}`, round(share));
    }
    case 'release_cadence': {
      if (api.releases === null) return noData(check, 'releases');
      const days = check.days ?? 90;
      const recent = api.releases.filter((at) => now.getTime() - Date.parse(at) <= days * DAY_MS).length;
      return result(check, recent >= (check.minReleases ?? 1), `${recent} release${recent === 1 ? '' : 's'} in ${days} days${api.releases[0] ? `, newest ${api.releases[0].slice(0, 10)}` : ''}`, recent);
    }
    case 'pipeline_health': {
      if (api.pipelines === null) return noData(check, 'pipelines');
      const decided = api.pipelines.filter((pipeline) => pipeline.status === 'success' || pipeline.status === 'failed');
      if (decided.length === 0) return result(check, false, 'no finished default-branch pipeline', null);
      const rate = (decided.filter((pipeline) => pipeline.status === 'success').length / decided.length) * 100;
      const toGreen = median(hoursToGreen(api.pipelines));
      const rateOk = rate >= (check.minSuccessRate ?? 0);
      const greenOk = check.maxHoursToGreen === undefined || toGreen === null || toGreen <= check.maxHoursToGreen;
      const still = api.pipelines[0]?.status === 'failed' && toGreen === null ? '; red, never green again in the pipelines read' : '';
      return result(check, rateOk && greenOk && still === '', `${round(rate)}% of ${decided.length} green${toGreen === null ? '' : `, median ${round(toGreen)} h to green`}${still}`, round(rate));
    }
    case 'deployments': {
      if (api.environments === null) return noData(check, 'environments');
      const deployed = api.environments.filter((environment) => environment.lastDeployedAt !== null);
      const production = deployed.filter((environment) => environment.tier === 'production').map((environment) => environment.name);
      const other = deployed.filter((environment) => environment.tier !== 'production').map((environment) => environment.name);
      const value = production.length === 0 && other.length === 0 ? 'no deployment to any environment' : `production: ${production.join(', ') || 'none'}; non-production: ${other.join(', ') || 'none'}`;
      return result(check, production.length > 0 && other.length > 0, value, deployed.length);
    }
    case 'feature_flags': {
      if (api.featureFlags === null) return noData(check, 'feature flags');
      return result(check, api.featureFlags >= (check.minFlags ?? 1), `${api.featureFlags} feature flag${api.featureFlags === 1 ? '' : 's'}`, api.featureFlags);
    }
    case 'readme_fresh': {
      if (api.readmeUpdatedAt === null) return result(check, false, 'no README change found', null);
      const age = Math.floor((now.getTime() - Date.parse(api.readmeUpdatedAt)) / DAY_MS);
      return result(check, check.maxAgeDays === null || check.maxAgeDays === undefined || age <= check.maxAgeDays, `changed ${api.readmeUpdatedAt.slice(0, 10)} (${age} days ago)`, age);
    }
    default:
      return noData(check, check.type);
  }
}
