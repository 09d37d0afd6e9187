/**
 * Which changed files are generated: marked `linguist-generated` in .gitattributes (GitHub's and
 * GitLab's convention, https://docs.gitlab.com/user/project/merge_requests/changes/#collapse-generated-files)
 * or matching a `coverage.generated` glob. They are listed as "generated, not counted" in new code.
 */
import { spawn } from 'node:child_process';
import picomatch from 'picomatch';

/** Paths among `paths` whose `linguist-generated` attribute is set (or `true`); empty when git cannot tell. */
export function linguistGenerated(repoRoot: string, paths: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<Set<string>> {
  const found = new Set<string>();
  if (paths.length === 0) return Promise.resolve(found);
  return new Promise((resolve) => {
    const child = spawn('git', ['check-attr', '-z', '--stdin', 'linguist-generated'], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(found));
    child.on('close', (code) => {
      if (code !== 0) return resolve(found);
      // -z output: path NUL attribute NUL value NUL, repeated.
      const fields = Buffer.concat(chunks).toString('utf8').split('\0');
      for (let at = 0; at + 2 < fields.length; at += 3) {
        const value = fields[at + 2];
        if (value === 'set' || value === 'true') found.add(fields[at] as string);
      }
      resolve(found);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(paths.map((path) => `${path}\0`).join(''));
  });
}

/** The `isGenerated` test for new code: attribute-marked paths, or a `coverage.generated` glob. */
export async function generatedFiles(
  repoRoot: string,
  changedPaths: readonly string[],
  globs: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<(path: string) => boolean> {
  const marked = await linguistGenerated(repoRoot, changedPaths, env);
  const matches = globs && globs.length > 0 ? picomatch(globs as string[]) : () => false;
  return (path) => marked.has(path) || matches(path);
}
