/**
 * The API run around the GraphQL collector: the group walk, this shard's slice of it, a state
 * file that makes an interrupted run resumable, and the shard evidence file a merge step reads.
 *
 * - Sharding: with GitLab's `parallel: N`, each job gets `CI_NODE_INDEX` (1-based) and
 *   `CI_NODE_TOTAL`; shard i scores every N-th project of the path-ordered walk, so the slices
 *   are deterministic, disjoint and cover the group. Each shard writes `evidence.json`;
 *   `qgate scorecard --merge a/evidence.json,b/evidence.json` scores them together.
 * - Resuming: `--state FILE` appends one JSON line per collected project; a re-run with the same
 *   file reads those again instead of asking GitLab (projects that failed are asked again).
 */
import { appendFile, readFile } from 'node:fs/promises';
import { QgateError } from '../errors.js';
import type { ScorecardApi } from '../gitlab/scorecard-api.js';
import { mapWithConcurrency } from './concurrency.js';
import { collectProjectGraphql, shardOf, walkGroup } from './collect-graphql.js';
import type { ProjectEvidence, Rubric } from './model.js';

export const EVIDENCE_KIND = 'qgate-scorecard-evidence';

export interface EvidenceFile {
  kind: typeof EVIDENCE_KIND;
  schemaVersion: 1;
  group: string;
  shard: { index: number; total: number };
  projects: ProjectEvidence[];
}

export interface ApiCollectOptions {
  group: string;
  rubric: Rubric;
  concurrency: number;
  shard: { index: number; total: number };
  statePath?: string;
  onProgress?: (done: number, total: number) => void;
}

/** `--shard I/N`, else the job's `parallel:` slice (`CI_NODE_INDEX`/`CI_NODE_TOTAL`) → the shard; 1/1 when not sharded. */
export function parseShard(value: string | undefined, parallelSlice: string | null): { index: number; total: number } {
  const text = value ?? parallelSlice ?? '1/1';
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new QgateError('USAGE', `--shard must be I/N with 1 <= I <= N, as GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (got "${text}").`);
  }
  return { index, total };
}

async function readState(path: string): Promise<Map<string, ProjectEvidence>> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const known = new Map<string, ProjectEvidence>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const evidence = JSON.parse(line) as ProjectEvidence;
      if (typeof evidence.path === 'string' && evidence.state !== 'failed') known.set(evidence.path, evidence);
    } catch {
      // A line cut short by an interrupted run: that project is collected again.
    }
  }
  return known;
}

export async function collectGroupApi(api: ScorecardApi, options: ApiCollectOptions): Promise<ProjectEvidence[]> {
  const all = await walkGroup(api, options.group);
  const mine = shardOf(all, options.shard.index, options.shard.total);
  const known = options.statePath === undefined ? new Map<string, ProjectEvidence>() : await readState(options.statePath);
  let writing: Promise<void> = Promise.resolve();
  return mapWithConcurrency(
    mine,
    options.concurrency,
    async (project) => {
      const earlier = known.get(project.path);
      if (earlier !== undefined) return earlier;
      const evidence = await collectProjectGraphql(api, project, options.rubric);
      if (options.statePath !== undefined) {
        const path = options.statePath;
        writing = writing.then(() => appendFile(path, `${JSON.stringify(evidence)}\n`));
        await writing;
      }
      return evidence;
    },
    options.onProgress,
  );
}

/** The shards' evidence files, checked to be one group's complete set of shards. */
export async function readEvidenceFiles(paths: string[]): Promise<{ group: string; projects: ProjectEvidence[] }> {
  const files: EvidenceFile[] = [];
  for (const path of paths) {
    let data: Partial<EvidenceFile>;
    try {
      data = JSON.parse(await readFile(path, 'utf8')) as Partial<EvidenceFile>;
    } catch (error) {
      throw new QgateError('INPUT_NOT_FOUND', `cannot be read as a shard's evidence.json (${(error as Error).message.split('\n')[0]}).`, { file: path, hint: 'Pass the evidence.json files the sharded `qgate scorecard --group` jobs wrote.' });
    }
    if (data.kind !== EVIDENCE_KIND || data.schemaVersion !== 1 || !Array.isArray(data.projects) || typeof data.group !== 'string' || !data.shard) {
      throw new QgateError('USAGE', `${path} is not a scorecard evidence.json of schemaVersion 1; pass the files the sharded scorecard jobs wrote.`);
    }
    files.push(data as EvidenceFile);
  }
  const group = files[0]?.group ?? '';
  const total = files[0]?.shard.total ?? 1;
  if (files.some((file) => file.group !== group || file.shard.total !== total)) throw new QgateError('USAGE', '--merge: the evidence files come from different groups or shard counts.');
  const missing = Array.from({ length: total }, (_, index) => index + 1).filter((index) => !files.some((file) => file.shard.index === index));
  if (missing.length > 0) throw new QgateError('GITLAB_FAILED', `--merge: ${missing.length} of ${total} shards missing (${missing.join(', ')}); their projects would not be scored.`);
  const seen = new Set<string>();
  const projects = files.flatMap((file) => file.projects).filter((project) => (seen.has(project.path) ? false : (seen.add(project.path), true)));
  return { group, projects };
}
