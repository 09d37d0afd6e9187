/** Step: load the configuration and check its expressions before any input is read. */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { QgateConfig } from '../config/types.js';
import { QgateError } from '../errors.js';
import type { CheckOptions, RunContext } from './context.js';
import { fromRoot } from './paths.js';

export async function readConfig(options: CheckOptions, context: RunContext, repoRoot: string): Promise<{ config: QgateConfig; configFiles: string[] }> {
  const { config, files: configFiles } = await loadConfig({
    cwd: repoRoot,
    ...(options.config !== undefined ? { configPath: fromRoot(repoRoot, resolve(context.cwd, options.config)) } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
  });
  await checkConfigExpressions(config, configFiles);
  return { config, configFiles };
}

/** Tag and k6 threshold expressions are config too: a typo is exit 2 before any input is read. */
async function checkConfigExpressions(config: QgateConfig, files: readonly string[]): Promise<void> {
  const problems: string[] = [];
  const tags = config.gates.e2e.tags;
  const extra = Object.entries(config.gates.performance.extraThresholds);
  if (tags !== null && tags.trim() !== '') {
    const { compileTagFilter } = await import('../measure/e2e-summary.js');
    try {
      compileTagFilter(tags);
    } catch (error) {
      problems.push(`gates.e2e.tags: ${(error as Error).message}`);
    }
  }
  for (const [metric, expressions] of extra) {
    const { validateK6Threshold } = await import('../measure/k6-thresholds.js');
    for (const expression of expressions) {
      const problem = validateK6Threshold(expression);
      if (problem !== null) problems.push(`gates.performance.extraThresholds.${metric}: ${JSON.stringify(expression)}: ${problem}`);
    }
  }
  const history = config.gates.performance.history;
  if (history !== undefined && history.minRuns > history.runs) {
    problems.push(`gates.performance.history.minRuns (${history.minRuns}) is more than history.runs (${history.runs}): no verdict could ever be reached`);
  }
  if (problems.length > 0) {
    throw new QgateError('CONFIG_INVALID', `The configuration (${files.at(-1) ?? 'preset'}) has ${problems.length} invalid expression${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
}
