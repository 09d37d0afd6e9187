/** `qgate scorecard`'s arguments → options, and its help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './usage-error.js';
import { QgateError } from '../errors.js';
import type { ScorecardOptions } from '../scorecard/run-scorecard.js';

export const SCORECARD_HELP = `qgate scorecard: the engineering maturity scorecard of a GitLab group

Usage:
  qgate scorecard --group GROUP [options]    every project of GROUP and its subgroups, through the API
  qgate scorecard --from DIR [options]       offline, from result files and checkouts (docs/scorecard.md)

Options:
  --group GROUP       group id or full path (e.g. acme/platform)
  --from DIR          evidence folder: DIR/<project path>/{project.json,results/*.json,repo/}
  --rubric FILE       the rubric (default: qgate's gates/scorecard.yml)
  --out DIR           where scorecard.json, scorecard.csv and scorecard.html go (default: scorecard-report)
  --gitlab-url URL    GitLab API URL (default: CI_API_V4_URL)
  --concurrency N     projects read at once (default: 4)
  --trend N           results read per project for its trend (default: the rubric's trend.results)
  --api graphql|rest  graphql (default): ~4 requests per project; rest: the older, slower walk
  --shard I/N         score every N-th project only (default: CI_NODE_INDEX/CI_NODE_TOTAL of parallel:);
                      each shard writes evidence.json, and --merge scores them together
  --state FILE        resumable: collected projects are appended to FILE and not asked for again
  --merge A,B,...     score the shards' evidence.json files together (no GitLab request)
  --previous FILE     an earlier run's scorecard.json: its trends are kept and extended, so history
                      outlives artifact expiry and --trend 1 is enough (docs/scorecard.md)
  --timeout SECONDS   time budget for all GitLab calls (default: 600)
  -h, --help          this help

Token: QGATE_GITLAB_TOKEN, else GITLAB_TOKEN (read_api scope). A project GitLab fails to
answer for is marked "not collected" and the others go on; archived projects are listed, not scored.
Exit codes: 0 scorecard written, 2 usage or rubric error, 3 GitLab or environment error.
`;

function whole(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new QgateError('USAGE', `--${name} must be a whole number from ${min} to ${max} (got "${text}").`);
  return value;
}

function apiMode(text: string): 'graphql' | 'rest' {
  if (text !== 'graphql' && text !== 'rest') throw new QgateError('USAGE', `--api must be graphql or rest (got "${text}").`);
  return text;
}

const SCORECARD_OPTIONS = {
  group: { type: 'string' },
  from: { type: 'string' },
  rubric: { type: 'string' },
  out: { type: 'string', default: 'scorecard-report' },
  'gitlab-url': { type: 'string' },
  concurrency: { type: 'string' },
  trend: { type: 'string' },
  timeout: { type: 'string' },
  previous: { type: 'string' },
  api: { type: 'string' },
  shard: { type: 'string' },
  state: { type: 'string' },
  merge: { type: 'string' },
} satisfies ParseArgsConfig['options'];

export function parseScorecardOptions(args: string[]): ScorecardOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: SCORECARD_OPTIONS,
    });
  } catch (error) {
    throw usageError(error, Object.keys(SCORECARD_OPTIONS), 'Run `qgate scorecard --help` for the options.');
  }
  const { values } = parsed;
  return {
    out: values.out,
    concurrency: whole('concurrency', values.concurrency, 4, 1, 32),
    timeoutSeconds: whole('timeout', values.timeout, 600, 1, 86_400),
    ...(values.group !== undefined ? { group: values.group } : {}),
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.rubric !== undefined ? { rubric: values.rubric } : {}),
    ...(values.previous !== undefined ? { previous: values.previous } : {}),
    ...(values['gitlab-url'] !== undefined ? { gitlabUrl: values['gitlab-url'] } : {}),
    ...(values.trend !== undefined ? { trend: whole('trend', values.trend, 10, 1, 100) } : {}),
    ...(values.api !== undefined ? { api: apiMode(values.api) } : {}),
    ...(values.shard !== undefined ? { shard: values.shard } : {}),
    ...(values.state !== undefined ? { state: values.state } : {}),
    ...(values.merge !== undefined ? { merge: values.merge.split(',').filter(Boolean) } : {}),
  };
}
