/**
 * Turning the paths a coverage report wrote into repository paths.
 *
 * Producers write paths relative to wherever they ran (a sub-package, a Cobertura
 * `<source>`), absolute paths of another machine (`/builds/group/project/...`,
 * `C:\Users\...`), with `./` prefixes and Windows separators. Resolution tries, in order:
 * the configured `root`, the report's own `<sources>`, the report's folder and its
 * ancestors (nearest first: a report inside `services/billing/coverage/` means paths
 * relative to `services/billing/`), the repository root; then a suffix match against
 * the tracked files. A path that matches nothing, or several files equally well, stays
 * unresolved and is reported — never guessed, never dropped.
 */
import { posix } from 'node:path';

export interface RepoIndex {
  /** Absolute path of the repository root, POSIX separators, no trailing slash. */
  root: string;
  /** Tracked files, repo-relative POSIX paths. */
  files: ReadonlySet<string>;
}

export interface ResolveContext {
  repo: RepoIndex;
  /** Repo-relative folder holding the report ('' for the root); null when the report lies outside the repository. */
  reportDir: string | null;
  /** Cobertura `<sources>` as written. */
  sourceRoots: readonly string[];
  /** Configured per-report root, repo-relative. */
  root?: string;
}

export type Resolution =
  | { resolved: true; path: string; via: 'root' | 'source' | 'repo' | 'report-dir' | 'suffix' }
  | { resolved: false; reason: 'not-found' | 'ambiguous' | 'outside-repo'; candidates: string[] };

const WINDOWS_DRIVE = /^[A-Za-z]:\//;

/** Normalises separators and dots; keeps absolute markers. Exported for tests. */
export function normalizeReportedPath(raw: string): string {
  let path = raw.trim().replace(/\\/g, '/');
  if (path.startsWith('file://')) path = path.slice('file://'.length);
  const absolute = path.startsWith('/') || WINDOWS_DRIVE.test(path);
  path = posix.normalize(path);
  if (path === '.' || path === './') return '';
  if (!absolute && path.startsWith('./')) path = path.slice(2);
  return path.replace(/\/+$/, '');
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || WINDOWS_DRIVE.test(path);
}

/** A relative path that climbs out of its base (`../x`) cannot name a repository file from the repo root. */
function escapes(path: string): boolean {
  return path === '..' || path.startsWith('../');
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** The repo path that ends exactly here (its first segment is this node). */
  terminal: string | null;
  /** Number of terminals in this subtree, and one of them. */
  count: number;
  sample: string;
}

function newNode(): TrieNode {
  return { children: new Map(), terminal: null, count: 0, sample: '' };
}

/**
 * A trie of the repository's paths keyed by their segments from the file name backwards,
 * so matching a reported path by suffix costs O(its segments), whatever the repo size.
 */
export interface SuffixIndex {
  root: TrieNode;
}

export function buildSuffixIndex(files: Iterable<string>): SuffixIndex {
  const root = newNode();
  for (const file of files) {
    const segments = file.split('/');
    let node = root;
    node.count += 1;
    for (let i = segments.length - 1; i >= 0; i -= 1) {
      const segment = segments[i] as string;
      let child = node.children.get(segment);
      if (!child) {
        child = newNode();
        node.children.set(segment, child);
      }
      node = child;
      if (node.count === 0) node.sample = file;
      node.count += 1;
    }
    node.terminal = file;
  }
  return { root };
}

const MAX_CANDIDATES = 5;

function collectCandidates(node: TrieNode, out: string[]): void {
  if (out.length >= MAX_CANDIDATES) return;
  if (node.terminal !== null) out.push(node.terminal);
  for (const child of node.children.values()) {
    if (out.length >= MAX_CANDIDATES) return;
    collectCandidates(child, out);
  }
}

/**
 * Matches a normalised path against the repository by its trailing segments:
 * the longest tracked path that is a suffix of it wins; failing that, the one tracked
 * path that it is a suffix of (a path relative to an unknown sub-package).
 */
export function matchBySuffix(path: string, index: SuffixIndex): Resolution {
  const segments = path.split('/').filter((segment) => segment !== '' && !WINDOWS_DRIVE.test(`${segment}/`));
  let node = index.root;
  let longestTerminal: string | null = null;
  let terminalDepth = 0;
  let consumedAll = true;
  for (let i = segments.length - 1, depth = 1; i >= 0; i -= 1, depth += 1) {
    const child = node.children.get(segments[i] as string);
    if (!child) {
      consumedAll = false;
      break;
    }
    node = child;
    if (node.terminal !== null) {
      longestTerminal = node.terminal;
      terminalDepth = depth;
    }
  }
  if (node === index.root) return { resolved: false, reason: 'not-found', candidates: [] };
  if (consumedAll && !isAbsolute(path)) {
    // Every segment matched: the path is a suffix of these tracked files.
    if (node.count === 1) return { resolved: true, path: node.sample, via: 'suffix' };
    if (node.terminal !== null) return { resolved: true, path: node.terminal, via: 'suffix' };
    const candidates: string[] = [];
    collectCandidates(node, candidates);
    return { resolved: false, reason: 'ambiguous', candidates };
  }
  if (longestTerminal !== null) {
    // Only the file name matched: that is evidence only when no other tracked file has that
    // name. `/app/node_modules/foo/index.js` must not lend its coverage to the repo's root
    // `index.js` while `src/index.js` and `packages/a/index.js` exist too.
    const byName = index.root.children.get(segments[segments.length - 1] as string);
    if (terminalDepth === 1 && byName !== undefined && byName.count > 1) {
      const candidates: string[] = [];
      collectCandidates(byName, candidates);
      return { resolved: false, reason: 'ambiguous', candidates };
    }
    return { resolved: true, path: longestTerminal, via: 'suffix' };
  }
  if (consumedAll && node.count > 1) {
    const candidates: string[] = [];
    collectCandidates(node, candidates);
    return { resolved: false, reason: 'ambiguous', candidates };
  }
  return { resolved: false, reason: 'not-found', candidates: [] };
}

/** The repo-relative form of an absolute path inside the repository, else null. */
function relativeToRepo(absolute: string, repoRoot: string): string | null {
  if (absolute === repoRoot) return '';
  if (absolute.startsWith(`${repoRoot}/`)) return absolute.slice(repoRoot.length + 1);
  return null;
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  let current = dir;
  while (current !== '' && current !== '.') {
    out.push(current);
    const parent = posix.dirname(current);
    current = parent === '.' ? '' : parent;
  }
  return out;
}

/** Resolves reported paths of one report, memoising the suffix index across calls. */
export function createPathResolver(repo: RepoIndex): (reported: string, context: Omit<ResolveContext, 'repo'>) => Resolution {
  let suffixIndex: SuffixIndex | null = null;
  const suffix = (path: string): Resolution => {
    suffixIndex ??= buildSuffixIndex(repo.files);
    return matchBySuffix(path, suffixIndex);
  };
  const tracked = (path: string | null): path is string => path !== null && !escapes(path) && repo.files.has(path);

  return (reported, context) => {
    const path = normalizeReportedPath(reported);
    if (path === '') return { resolved: false, reason: 'not-found', candidates: [] };

    // Absolute candidates for the suffix match, best first.
    const fallbacks: string[] = [];

    if (context.root !== undefined && !isAbsolute(path)) {
      const joined = posix.normalize(posix.join(normalizeReportedPath(context.root), path));
      if (tracked(joined)) return { resolved: true, path: joined, via: 'root' };
    }

    if (isAbsolute(path)) {
      const inside = relativeToRepo(path, repo.root);
      if (inside !== null) {
        return tracked(inside)
          ? { resolved: true, path: inside, via: 'repo' }
          : { resolved: false, reason: 'not-found', candidates: [] };
      }
      fallbacks.push(path);
    } else {
      for (const rawSource of context.sourceRoots) {
        const source = normalizeReportedPath(rawSource);
        if (isAbsolute(source)) {
          const joined = posix.join(source, path);
          const inside = relativeToRepo(joined, repo.root);
          if (tracked(inside)) return { resolved: true, path: inside, via: 'source' };
          fallbacks.push(joined);
        } else {
          const bases = context.reportDir === null ? [''] : [...ancestors(context.reportDir), ''];
          for (const base of bases) {
            const joined = posix.normalize(posix.join(base, source, path));
            if (tracked(joined)) return { resolved: true, path: joined, via: 'source' };
          }
        }
      }
      if (context.reportDir !== null) {
        for (const base of ancestors(context.reportDir)) {
          const joined = posix.normalize(posix.join(base, path));
          if (tracked(joined)) return { resolved: true, path: joined, via: 'report-dir' };
        }
      }
      if (tracked(path)) return { resolved: true, path, via: 'repo' };
      fallbacks.push(path);
    }

    let best: Resolution | null = null;
    for (const candidate of fallbacks) {
      const result = suffix(candidate);
      if (result.resolved) return result;
      if (best === null || (best.reason === 'not-found' && result.reason === 'ambiguous')) best = result;
    }
    return best ?? { resolved: false, reason: 'not-found', candidates: [] };
  };
}
