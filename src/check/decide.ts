/** Step: the verdict and the whole result, given what is known of the target branch's baseline. */
import type { QgateConfig } from '../config/types.js';
import { decideVerdict, evaluateGates } from '../gates/evaluate.js';
import type { FetchedBaseline } from '../gitlab/baseline.js';
import type { ParsedBaseline } from '../inputs/baseline/qgate-result.js';
import type { BaselineInfo } from '../model/baseline.js';
import { RESULT_SCHEMA_VERSION, type InputRecord, type QgateResult } from '../model/result.js';
import { QGATE_VERSION } from '../version.js';
import { withE2eHistory } from '../measure/e2e-flaky-history.js';
import { compareIndirectCoverage, countPerFile, recordPerFile } from '../measure/indirect-coverage.js';
import type { Measurements } from './measure.js';
import type { OtherEvidence } from './read-inputs.js';

export interface DecideInputs {
  config: QgateConfig;
  configFiles: string[];
  measured: Measurements;
  other: OtherEvidence;
  records: InputRecord[];
  now: () => Date;
}

export function decide(inputs: DecideInputs, baseline: BaselineInfo, fetched: FetchedBaseline | null): QgateResult {
  const { config, measured, other } = inputs;
  // A --k6-baseline file wins over the artifact: the user named it.
  const k6Baseline = other.k6Baseline ?? fetched?.baseline?.k6 ?? null;
  const performance =
    other.k6 && measured.comparePerformance
      ? measured.comparePerformance(other.k6, k6Baseline, fetched?.history, {
          tracked: config.gates.performance.tracked,
          extraThresholds: config.gates.performance.extraThresholds,
          userBaseline: other.k6Baseline !== null,
          ...(config.gates.performance.history ? { minRuns: config.gates.performance.history.minRuns } : {}),
        })
      : null;
  const gateBaseline = baseline.status === 'found' ? { overallCoveragePercent: baseline.overallCoveragePercent } : null;
  const { diff, mutation } = measured;
  const coverage = withPerFile(measured, baseline.status === 'found' ? (fetched?.baseline?.perFile ?? null) : null);
  // The target branch's recent e2e results tell known-flaky failures from new ones (docs/noise.md).
  const e2e =
    measured.e2e !== null && fetched?.e2eHistory !== undefined && fetched.e2eHistory.length > 0
      ? withE2eHistory(measured.e2e, fetched.e2eHistory, { quarantine: config.gates.e2e.flaky === 'quarantine' })
      : measured.e2e;
  const gates = evaluateGates({ config, coverage, diff, baseline: gateBaseline, e2e, performance, mutation });
  const { verdict, reason } = decideVerdict(gates);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'qgate', version: QGATE_VERSION },
    generatedAt: inputs.now().toISOString(),
    verdict,
    verdictReason: reason,
    gates,
    diff,
    coverage,
    baseline,
    e2e,
    performance,
    mutation,
    inputs: inputs.records,
    configFiles: inputs.configFiles,
  };
}

/**
 * The run's coverage with each resolved file's own figures, recorded for the next run, and, when
 * the baseline recorded them too, the files the MR did not edit whose coverage moved
 * (information: no gate reads `indirect`).
 */
function withPerFile(measured: Measurements, baselinePerFile: ParsedBaseline['perFile']): QgateResult['coverage'] {
  const { coverage, merged } = measured;
  if (coverage === null || merged === null) return coverage;
  const counts = countPerFile(merged.files);
  if (baselinePerFile === null) return { ...coverage, ...recordPerFile(counts) };
  const edited = new Set(coverage.newCode.files.flatMap((file) => (file.oldPath === null ? [file.path] : [file.path, file.oldPath])));
  const withIndirect = { ...coverage, ...recordPerFile(counts), indirect: compareIndirectCoverage(counts, baselinePerFile, edited) };
  const split = coverage.newCode.split;
  if (split?.scope !== 'added') return withIndirect;
  // `lines: added` gates only added lines; the legacy files the MR touched must not get worse than the baseline.
  const legacyWorse: NonNullable<typeof split.legacyWorse> = [];
  for (const file of coverage.newCode.files) {
    if (file.change === 'added' || file.status !== 'measured') continue;
    const before = baselinePerFile.get(file.oldPath ?? file.path) ?? baselinePerFile.get(file.path);
    const after = counts.get(file.path);
    if (before === undefined || after === undefined || before[1] === 0 || after[1] === 0) continue;
    // after/total < before/total, in integers.
    if (after[0] * before[1] < before[0] * after[1]) legacyWorse.push({ path: file.path, before: [before[0], before[1]], after: [after[0], after[1]] });
  }
  return { ...withIndirect, newCode: { ...coverage.newCode, split: { ...split, legacyWorse } } };
}
