/**
 * 13 item 9: changed files marked `linguist-generated` in .gitattributes, or matching a
 * `coverage.generated` glob, are listed as "generated, not counted" in new code: never
 * "unmeasured", never in the percentage. An unmarked file is measured as before. (The default
 * preset already excludes the common generated names, *.pb.*, *.generated.*: these names are not.)
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/run.js';

const exec = promisify(execFile);
const GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
  GIT_AUTHOR_NAME: 'qgate',
  GIT_AUTHOR_EMAIL: 'qgate@example.com',
  GIT_COMMITTER_NAME: 'qgate',
  GIT_COMMITTER_EMAIL: 'qgate@example.com',
};

let dir = '';
let base = '';

async function git(...args: string[]): Promise<string> {
  return (await exec('git', args, { cwd: dir, env: GIT_ENV })).stdout.trim();
}

async function write(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'qgate-generated-')));
  await git('init', '-q', '-b', 'main');
  await write({
    '.gitattributes': 'api/*_gen.go linguist-generated\napi/keep_gen.go -linguist-generated\n',
    '.gitignore': 'coverage/\nqgate-report/\n',
    '.qgate.yml': 'coverage:\n  generated:\n    - "**/*.gen.ts"\n',
    'src/app.ts': 'export const a = 1;\n',
  });
  await git('add', '.');
  await git('commit', '-q', '-m', 'base');
  base = await git('rev-parse', 'HEAD');
  await write({
    'src/app.ts': 'export const a = 1;\nexport const b = 2;\n',
    'src/client.gen.ts': 'export const c = 3;\n',
    'api/service_gen.go': 'package api\nvar X = 1\n',
    'api/keep_gen.go': 'package api\nvar Y = 1\n',
  });
  await git('add', '.');
  await git('commit', '-q', '-m', 'change');
  await write({ 'coverage/lcov.info': 'SF:src/app.ts\nDA:1,1\nDA:2,1\nend_of_record\n' });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('generated files in new code', () => {
  it('are listed as generated and not counted, by .gitattributes linguist-generated or coverage.generated', async () => {
    const { result } = await runCheck(
      { out: 'qgate-report', coverage: ['coverage/lcov.info'], cucumber: [], comment: false },
      {
        cwd: dir,
        env: { ...GIT_ENV, CI_MERGE_REQUEST_DIFF_BASE_SHA: base },
        stdout: { write: () => true },
        stderr: { write: () => true },
        now: () => new Date('2026-12-07T00:00:00Z'),
      },
    );
    const newCode = result.coverage?.newCode;
    const status = Object.fromEntries((newCode?.files ?? []).map((file) => [file.path, file.status]));
    expect(status).toEqual({
      'api/keep_gen.go': 'unmeasured',
      'api/service_gen.go': 'generated',
      'src/app.ts': 'measured',
      'src/client.gen.ts': 'generated',
    });
    expect(newCode?.unmeasuredFiles).toEqual(['api/keep_gen.go']);
    expect({ covered: newCode?.covered, total: newCode?.total }).toEqual({ covered: 1, total: 1 });
  });
});
