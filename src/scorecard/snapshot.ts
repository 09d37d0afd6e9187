/**
 * The part of a `result.json` the scorecard reads. Both collectors (GitLab API and `--from DIR`)
 * go through here, so the same file gives the same snapshot whichever way it arrived. Tolerant
 * by design: a result written by an older or newer qgate yields what it has, and a field of the
 * wrong type reads as "not measured" (null), never as a pass.
 */
import { readResultJson } from '../model/validate-result.js';
import { finiteNumberOrNull, isJsonObject } from '../inputs/json-document.js';
import type { ResultSnapshot } from './model.js';

function count(value: unknown): number {
  return finiteNumberOrNull(value) ?? 0;
}

/** A snapshot of a result.json text, or why it cannot be read. */
export function snapshotResult(text: string): ResultSnapshot | { problem: string } {
  const read = readResultJson(text);
  if (!read.ok) return { problem: read.problem };
  const data = read.result;
  if (typeof data.generatedAt !== 'string' || Number.isNaN(Date.parse(data.generatedAt))) return { problem: 'has no generatedAt date' };

  const gates = Array.isArray(data.gates) ? data.gates.filter(isJsonObject) : [];
  const gate = gates.find((candidate) => candidate.id === 'new_code_coverage');
  const coverage = isJsonObject(data.coverage) ? data.coverage : null;
  const overall = coverage && isJsonObject(coverage.overall) ? coverage.overall : null;
  const e2e = isJsonObject(data.e2e) && isJsonObject(data.e2e.scenarios) ? data.e2e.scenarios : null;
  const performance = isJsonObject(data.performance) ? data.performance : null;
  const comparison = performance && isJsonObject(performance.comparison) ? performance.comparison : null;
  const metrics = comparison && Array.isArray(comparison.metrics) ? comparison.metrics.filter(isJsonObject) : [];
  const mutation = isJsonObject(data.mutation) ? data.mutation : null;
  return {
    generatedAt: new Date(data.generatedAt).toISOString(),
    verdict: typeof data.verdict === 'string' ? data.verdict : 'unknown',
    newCodeGate: gate ? { status: String(gate.status), actual: finiteNumberOrNull(gate.actual), threshold: finiteNumberOrNull(gate.threshold) } : null,
    overallCoverage: overall ? finiteNumberOrNull(overall.percent) : null,
    e2e: e2e ? { total: count(e2e.total), passed: count(e2e.passed), failed: count(e2e.failed) + count(e2e.undefined) + count(e2e.ambiguous) } : null,
    performance: performance ? { baselineAvailable: comparison?.baselineAvailable === true, regressed: metrics.filter((metric) => metric.status === 'regressed').length } : null,
    mutationScore: mutation ? finiteNumberOrNull(mutation.score) : null,
    newExclusions: isJsonObject(data.diff) && isJsonObject(data.diff.waivers) ? finiteNumberOrNull(data.diff.waivers.coverageExclusions) : null,
  };
}
