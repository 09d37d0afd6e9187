/**
 * The narrow port qgate talks to GitLab through: plain data in and out, nothing of gitbeaker's.
 * `gitbeaker-adapter.ts` implements it over the REST API; tests of the logic above it (sticky
 * note, baseline, scorecard) use a fake.
 */

export type ProjectRef = string | number;

export interface GitLabNote {
  id: number;
  body: string;
  /** The author's user id; null when GitLab did not say. */
  authorId: number | null;
  /** GitLab's own notes ("added 2 commits"): never qgate's. */
  system: boolean;
}

export interface GitLabMergeRequest {
  iid: number;
  projectId: number;
  sourceProjectId: number;
  sourceBranch: string;
  targetBranch: string;
  webUrl: string;
  /** The merge request's current diff: base (merge base), head and start SHAs; null when GitLab has not computed it. */
  diffRefs: { baseSha: string; headSha: string; startSha: string } | null;
}

/** One file of a merge request's diff, as `GET /projects/:id/merge_requests/:iid/diffs` gives it. */
export interface GitLabMergeRequestDiff {
  oldPath: string;
  newPath: string;
  /** The unified diff hunks (from `@@` on), without git's header lines. */
  diff: string;
  newFile: boolean;
  renamedFile: boolean;
  deletedFile: boolean;
  /** GitLab leaves `diff` empty for a file over its diff limits (flags only on recent GitLab versions). */
  tooLarge: boolean;
  collapsed: boolean;
  /** File modes before and after (`100644`); a mode-only change has an empty diff. */
  aMode: string | null;
  bMode: string | null;
}

export interface GitLabPipeline {
  id: number;
  sha: string;
  ref: string;
  status: string;
  createdAt: string;
  webUrl: string;
}

export interface GitLabJob {
  id: number;
  name: string;
  status: string;
  /** Whether the job kept an artifacts archive (not only a trace). */
  hasArtifacts: boolean;
  finishedAt: string | null;
}

export interface GitLabProject {
  id: number;
  pathWithNamespace: string;
  name: string;
  webUrl: string;
  /** null for an empty repository. */
  defaultBranch: string | null;
  archived: boolean;
  /** A fork of another project (`forked_from_project`); absent when GitLab did not say. */
  forked?: boolean;
}

export interface GitLabTreeEntry {
  path: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface ListOptions {
  /** Stop after this many pages (100 items each); a safety bound, not a page choice. */
  maxPages?: number;
}

export interface GitLabPort {
  /** The user the token belongs to; null when the token may not read it (`read_user` missing). */
  currentUserId(): Promise<number | null>;

  listMergeRequestNotes(project: ProjectRef, iid: number, options?: ListOptions): Promise<GitLabNote[]>;
  createMergeRequestNote(project: ProjectRef, iid: number, body: string): Promise<GitLabNote>;
  updateMergeRequestNote(project: ProjectRef, iid: number, noteId: number, body: string): Promise<GitLabNote>;
  deleteMergeRequestNote(project: ProjectRef, iid: number, noteId: number): Promise<void>;

  getMergeRequest(project: ProjectRef, iid: number): Promise<GitLabMergeRequest>;
  /** Open merge requests whose source branch is `branch`, newest first. */
  listOpenMergeRequestsForBranch(project: ProjectRef, branch: string): Promise<GitLabMergeRequest[]>;
  listMergeRequestDiffs(project: ProjectRef, iid: number, options?: ListOptions): Promise<GitLabMergeRequestDiff[]>;

  /** A file from `job`'s artifacts in the latest successful pipeline of `ref`; null when GitLab has none (404). */
  downloadArtifactFileByRef(project: ProjectRef, ref: string, job: string, path: string): Promise<string | null>;
  /** A file from one job's artifacts; null when GitLab has none (404). */
  downloadArtifactFileByJob(project: ProjectRef, jobId: number, path: string): Promise<string | null>;
  /** Pipelines of `ref`, newest first. */
  listPipelines(project: ProjectRef, query: { ref: string; status?: string }, options?: ListOptions): Promise<GitLabPipeline[]>;
  listPipelineJobs(project: ProjectRef, pipelineId: number, options?: ListOptions): Promise<GitLabJob[]>;

  /** Projects of a group, its subgroups included. */
  listGroupProjects(group: ProjectRef, options?: ListOptions & { includeArchived?: boolean }): Promise<GitLabProject[]>;
  listRepositoryTree(project: ProjectRef, query: { ref: string; path?: string; recursive?: boolean }, options?: ListOptions): Promise<GitLabTreeEntry[]>;
  /** A file's size in bytes and text at `ref`; null when absent (404). */
  getRepositoryFile(project: ProjectRef, path: string, ref: string): Promise<{ size: number; text: string } | null>;
}
