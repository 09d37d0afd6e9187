/**
 * Repository facts (README, ADRs, CODEOWNERS) from a folder lister, so the GitLab tree API and a
 * checkout on disk answer through the same rules. Only fixed, well-known folders are listed —
 * never the whole tree — which keeps a large repository to a handful of API calls.
 */
import type { RepoFacts } from './model.js';

export interface RepoEntry {
  name: string;
  type: 'blob' | 'tree' | 'other';
}

export interface RepoReader {
  /** The entries directly in `dir` (`''` is the root); empty when the folder does not exist. */
  list(dir: string): Promise<RepoEntry[]>;
  /** A file's size in bytes; null when it does not exist. */
  size(path: string): Promise<number | null>;
}

const README = /^readme(\.[^/]*)?$/i;
const DECISION_RECORD = /\.(md|markdown|adoc|rst|txt)$/i;
/** Where GitLab looks for CODEOWNERS, in its order: https://docs.gitlab.com/user/project/codeowners/#codeowners-file */
const CODEOWNERS_DIRS = ['', 'docs', '.gitlab'] as const;
const ADR_PARENTS = ['docs', 'doc'] as const;

function byName(a: RepoEntry, b: RepoEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export async function readRepoFacts(reader: RepoReader): Promise<RepoFacts> {
  const root = (await reader.list('')).sort(byName);
  const has = (entries: RepoEntry[], name: string, type: RepoEntry['type']): boolean => entries.some((entry) => entry.name === name && entry.type === type);

  const readmeEntry = root.find((entry) => entry.type === 'blob' && README.test(entry.name));
  const readmeBytes = readmeEntry ? await reader.size(readmeEntry.name) : null;
  const readme = readmeEntry && readmeBytes !== null ? { path: readmeEntry.name, bytes: readmeBytes } : null;

  const listings = new Map<string, RepoEntry[]>([['', root]]);
  const listing = async (dir: string): Promise<RepoEntry[]> => {
    if (!listings.has(dir)) listings.set(dir, await reader.list(dir));
    return listings.get(dir) ?? [];
  };

  let codeowners: string | null = null;
  for (const dir of CODEOWNERS_DIRS) {
    if (dir !== '' && !has(root, dir, 'tree')) continue;
    if (has(await listing(dir), 'CODEOWNERS', 'blob')) {
      codeowners = dir === '' ? 'CODEOWNERS' : `${dir}/CODEOWNERS`;
      break;
    }
  }

  let adr: RepoFacts['adr'] = null;
  for (const parent of ADR_PARENTS) {
    if (!has(root, parent, 'tree') || !has(await listing(parent), 'adr', 'tree')) continue;
    const records = (await listing(`${parent}/adr`)).filter((entry) => entry.type === 'blob' && DECISION_RECORD.test(entry.name));
    adr = { dir: `${parent}/adr`, files: records.length };
    break;
  }
  return { readme, adr, codeowners };
}
