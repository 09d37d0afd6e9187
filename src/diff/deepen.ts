/**
 * A shallow clone (GitLab's default `GIT_DEPTH` is 20; 1 is common) often lacks the merge
 * request's base commit, or the history back to where the branches meet. Rather than ask for
 * `GIT_DEPTH: 0` (a full clone of a big monorepo) qgate fetches what it needs from `origin`:
 * the base commit itself (`git fetch --depth`), then deeper history in growing steps
 * (`git fetch --deepen`) until `git merge-base` answers — at most DEEPEN_STEPS, each with a
 * time limit. When `origin` cannot be reached, nothing is changed and the caller falls back to
 * the MR diffs API or says the base is unknown.
 */
/** Runs git in the repository (git-diff.ts passes its runner, so this module imports none). */
export type GitRunner = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Commits added per step: the total reached is 50, 250, 1,250, 6,250. */
const DEEPEN_STEPS = [50, 200, 1_000, 5_000];
/** One fetch may take this long before it is given up (a hung remote must not hang the job). */
const FETCH_TIMEOUT_MS = 120_000;

export interface DeepenOutcome {
  /** The merge base when one was found. */
  mergeBase: string | null;
  /** What was fetched, for the log and result.json ("fetched the base commit; deepened the clone by 250 commits"). */
  note: string | null;
  /** Why it stopped without a merge base (the remote's error, or the step limit). */
  failure: string | null;
}

async function fetchQuietly(git: GitRunner, args: string[]): Promise<{ ok: boolean; error: string }> {
  const run = await Promise.race([
    git(['-c', 'fetch.recurseSubmodules=false', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', ...args]),
    new Promise<{ code: number; stderr: string }>((resolve) => setTimeout(() => resolve({ code: -1, stderr: `no answer from origin within ${FETCH_TIMEOUT_MS / 1000} s` }), FETCH_TIMEOUT_MS).unref()),
  ]);
  const error = run.stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `git fetch exited ${run.code}`;
  return { ok: run.code === 0, error };
}

async function hasCommit(git: GitRunner, sha: string): Promise<boolean> {
  return (await git(['cat-file', '-e', `${sha}^{commit}`])).code === 0;
}

/** Fetches one commit by SHA (GitLab serves any reachable commit over protocol v2); `fetched` false when it was already here. */
export async function fetchCommit(git: GitRunner, sha: string): Promise<{ ok: boolean; fetched: boolean; error: string }> {
  if (await hasCommit(git, sha)) return { ok: true, fetched: false, error: '' };
  const fetched = await fetchQuietly(git, [`--depth=${DEEPEN_STEPS[0]}`, 'origin', sha]);
  if (fetched.ok && (await hasCommit(git, sha))) return { ok: true, fetched: true, error: '' };
  return { ok: false, fetched: false, error: fetched.ok ? `origin did not send ${sha}` : fetched.error };
}

/** Deepens the history of both commits until they meet; `baseSha` must be a full SHA. */
export async function deepenToMergeBase(git: GitRunner, baseSha: string, headSha: string): Promise<DeepenOutcome> {
  const notes: string[] = [];
  const base = await fetchCommit(git, baseSha);
  if (!base.ok) return { mergeBase: null, note: null, failure: base.error };
  if (base.fetched) notes.push(`fetched the base commit ${baseSha.slice(0, 12)} from origin`);
  let deepened = 0;
  for (const step of [0, ...DEEPEN_STEPS]) {
    if (step > 0) {
      const fetched = await fetchQuietly(git, [`--deepen=${step}`, 'origin', headSha, baseSha]);
      if (!fetched.ok) return { mergeBase: null, note: noteOf(notes, deepened), failure: fetched.error };
      deepened += step;
    }
    const found = await git(['merge-base', baseSha, headSha]);
    if (found.code === 0) return { mergeBase: found.stdout.trim(), note: noteOf(notes, deepened), failure: null };
    const shallow = (await git(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    // A complete history without a merge base: the branches share none, deepening cannot help.
    if (!shallow) return { mergeBase: null, note: noteOf(notes, deepened), failure: 'the two commits share no history' };
  }
  return { mergeBase: null, note: noteOf(notes, deepened), failure: `no merge base within ${deepened} more commits of history` };
}

function noteOf(notes: string[], deepened: number): string | null {
  const parts = [...notes, ...(deepened > 0 ? [`deepened the shallow clone by ${deepened} commits (git fetch --deepen)`] : [])];
  return parts.length > 0 ? parts.join('; ') : null;
}
