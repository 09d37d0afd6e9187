/** The target branch's baseline: where it came from and what the comparisons used of it. */

export type BaselineStatus =
  /** A result.json was found and read: `overallCoveragePercent` and the k6 statistics feed the comparisons. */
  | 'found'
  /** Looked for, none exists yet (first run on the target branch, artifacts expired, job renamed). */
  | 'not-found'
  /** Looked for, but GitLab could not be asked or answered with an error; comparisons skipped. */
  | 'unavailable'
  /** Not looked for: not a merge request pipeline, no token, or switched off in the config. */
  | 'not-requested';

export interface BaselineInfo {
  status: BaselineStatus;
  /** The branch the baseline was taken from. */
  ref: string | null;
  /** The qgate job whose artifact it is. */
  job: string | null;
  pipelineId: number | null;
  jobId: number | null;
  /** The commit the baseline was measured on (its `diff.headSha`). */
  commitSha: string | null;
  /** When the baseline's run made it. */
  generatedAt: string | null;
  /** The baseline's overall line coverage percent; null when it had no coverage. */
  overallCoveragePercent: number | null;
  /** Whether it held k6 statistics for the performance comparison. */
  hasPerformance: boolean;
  /** One phrase: why it is not found / unavailable / not requested; null when found. */
  reason: string | null;
}
