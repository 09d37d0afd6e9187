/** Running the built CLI the way a pipeline does, for the end-to-end tests. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QgateResult } from '../../src/model/result.js';

export const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

if (!existsSync(CLI)) {
  throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm run test:e2e\` does).`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment qgate runs with in tests: scrubbed, so no CI_* variable leaks in from outside. */
function cliEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', ...env };
}

/** Runs `qgate <args>` in `cwd` with a scrubbed environment (no CI_* leaking in from outside). */
export function runQgate(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: cliEnv(env) });
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
  return spawnCollected(process.execPath, [CLI, ...args], { cwd, env: cliEnv(env) });
}

/** A child process's exit status and output, each stream alone and both as they interleaved; killed after 90 s. */
export function spawnCollected(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<CliRun & { output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr, output });
    });
  });
}
