/** Running the built CLI the way a pipeline does, for the end-to-end tests. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QgateResult } from '../../src/model/result.js';

export const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

if (!existsSync(CLI)) {
  throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does).`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `qgate <args>` in `cwd` with a scrubbed environment (no CI_* leaking in from outside). */
export function runQgate(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function readResult(dir: string, out = 'qgate-report'): QgateResult {
  return JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8')) as QgateResult;
}

/** No stack trace may reach the user. */
export function expectNoStackTrace(text: string): void {
  if (/\n\s+at .+[:(]\d+/.test(text) || text.includes('node:internal')) {
    throw new Error(`output contains a stack trace:\n${text}`);
  }
}

/**
 * `runQgate` without blocking the event loop: for tests whose loopback servers (a fake GitLab)
 * live in the test process and must keep answering while qgate runs.
 */
export function runQgateAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}
