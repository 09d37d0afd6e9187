/**
 * Zero-config: when no input names a report, qgate looks where the common producers write theirs
 * by default (docs/getting-started.md lists the paths). Rules:
 * - one report per run: the producers of a group write several formats of the same run side by
 *   side (vitest/jest/c8 write lcov, Cobertura and JSON into coverage/); the first present in the
 *   group's order is read and the others are named as skipped, so a run is never counted twice;
 * - never older than the commit being checked: a report whose modification time is before HEAD's
 *   commit time was left by an earlier run (a cache, an earlier job's artifacts) and is skipped
 *   with a warning naming it;
 * - only regular files inside the checkout (a symlink to outside is not followed).
 * Each pick says why, for the log and for result.json (`inputs[].discovered`).
 */
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';

export type DiscoveredKind = 'coverage' | 'e2e' | 'mutation' | 'performance';

interface Candidate {
  path: string;
  producer: string;
  /** A marker its first 64 KiB must contain, for default names other tools use too. */
  mustContain?: string;
}

interface Group {
  kind: DiscoveredKind;
  /** Candidates in preference order; only the first fresh one present is read. */
  candidates: Candidate[];
}

/** The default output paths, grouped by run. The order inside a group is the preference. */
export const DEFAULT_REPORT_GROUPS: readonly Group[] = [
  {
    kind: 'coverage',
    candidates: [
      { path: 'coverage/lcov.info', producer: 'vitest, jest, c8, nyc (lcov reporter)' },
      { path: 'coverage/cobertura-coverage.xml', producer: 'vitest, jest, c8, nyc (cobertura reporter)' },
      { path: 'coverage/coverage-final.json', producer: 'vitest, jest, c8, nyc (json reporter)' },
    ],
  },
  { kind: 'coverage', candidates: [{ path: 'coverage.xml', producer: 'coverage.py / pytest-cov (`coverage xml`)' }] },
  { kind: 'coverage', candidates: [{ path: 'cobertura.xml', producer: 'gcovr, cargo-tarpaulin, gocover-cobertura (Cobertura)' }] },
  {
    kind: 'e2e',
    candidates: [
      // The messages NDJSON alone keeps retries, so it wins when a run wrote several formats.
      { path: 'reports/cucumber-report.ndjson', producer: 'cucumber-js (message formatter)' },
      { path: 'reports/cucumber-report.json', producer: 'cucumber-js (json formatter)' },
      { path: 'reports/cucumber-report.xml', producer: 'cucumber-js (junit formatter)' },
      { path: 'cucumber-report.ndjson', producer: 'cucumber-js (message formatter)' },
      { path: 'cucumber-report.json', producer: 'cucumber-js (json formatter)' },
      { path: 'cucumber-report.xml', producer: 'cucumber-js (junit formatter)' },
    ],
  },
  { kind: 'mutation', candidates: [{ path: 'reports/mutation/mutation.json', producer: 'Stryker (json reporter)' }] },
  // `summary.json` is a common name: it is taken for k6's only when its start has k6's `metrics`.
  { kind: 'performance', candidates: [{ path: 'summary.json', producer: 'k6 (--summary-export / handleSummary)', mustContain: '"metrics"' }] },
];

export interface DiscoveredReport {
  kind: DiscoveredKind;
  /** Relative to the repository root. */
  path: string;
  /** Why it was read, as result.json and the log state it. */
  reason: string;
}

export interface Discovery {
  reports: DiscoveredReport[];
  /** One line per file considered and not read, and why (another format of the same run, older than HEAD). */
  skipped: string[];
  /** Stale reports: a warning each. */
  warnings: string[];
}

export interface DiscoverOptions {
  repoRoot: string;
  /** HEAD's commit time in ms since the epoch; null when unknown (no git): freshness is not checked. */
  headCommitTimeMs: number | null;
  /** The kinds to look for: those no input or config names. */
  kinds: ReadonlySet<DiscoveredKind>;
}

export async function discoverReports(options: DiscoverOptions): Promise<Discovery> {
  const discovery: Discovery = { reports: [], skipped: [], warnings: [] };
  const pickedKinds = new Map<DiscoveredKind, number>();
  for (const group of DEFAULT_REPORT_GROUPS) {
    if (!options.kinds.has(group.kind)) continue;
    // E2E, mutation and k6 are one report each; coverage may come from several producers (a
    // polyglot repository), one report per producer's run.
    if (group.kind !== 'coverage' && (pickedKinds.get(group.kind) ?? 0) > 0) {
      for (const candidate of group.candidates) if (await isFile(options.repoRoot, candidate.path)) discovery.skipped.push(`${candidate.path}: another ${group.kind} report was already picked`);
      continue;
    }
    let picked: Candidate | null = null;
    for (const candidate of group.candidates) {
      const stats = await fileStats(options.repoRoot, candidate.path);
      if (stats === null) continue;
      if (picked !== null) {
        discovery.skipped.push(`${candidate.path}: the same run as ${picked.path} in another format, not counted twice`);
        continue;
      }
      if (options.headCommitTimeMs !== null && stats.mtimeMs < options.headCommitTimeMs) {
        discovery.warnings.push(
          `${candidate.path} was not read: it is older than the commit being checked (${new Date(stats.mtimeMs).toISOString()} < ${new Date(options.headCommitTimeMs).toISOString()}), so it was left by an earlier run (a cache or an earlier job's artifacts); pass it explicitly if it is this commit's`,
        );
        continue;
      }
      if (candidate.mustContain !== undefined && !(await startContains(join(options.repoRoot, candidate.path), candidate.mustContain))) {
        discovery.skipped.push(`${candidate.path}: not a ${candidate.producer} report (no ${candidate.mustContain} near its start)`);
        continue;
      }
      picked = candidate;
      discovery.reports.push({ kind: group.kind, path: candidate.path, reason: `found at the default path of ${candidate.producer}` });
      pickedKinds.set(group.kind, (pickedKinds.get(group.kind) ?? 0) + 1);
    }
  }
  return discovery;
}

async function fileStats(root: string, path: string): Promise<{ mtimeMs: number } | null> {
  try {
    // lstat: a symlink (possibly pointing outside the checkout) is never picked up by itself.
    const stats = await lstat(join(root, path));
    return stats.isFile() ? { mtimeMs: stats.mtimeMs } : null;
  } catch {
    return null;
  }
}

async function isFile(root: string, path: string): Promise<boolean> {
  return (await fileStats(root, path)) !== null;
}

async function startContains(path: string, marker: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(marker);
  } finally {
    await handle.close();
  }
}
