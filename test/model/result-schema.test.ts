/**
 * schemas/result.schema.json against what qgate really writes: the render fixtures' results and
 * the result.json of a real run on the bundled sample. Validated strictly here (every object
 * closed), so a field added to result.json without adding it to the schema fails this test; the
 * published schema itself stays open so an older qgate can read a newer result of the same
 * schemaVersion.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { RESULT_SCHEMA_VERSION } from '../../src/model/result.js';
import { describeSchemaError, loadResultSchema, readResultJson } from '../../src/model/validate-result.js';
import { buildErrorResult } from '../../src/check/error-report.js';
import { QgateError } from '../../src/errors.js';
import { emptyResult, failingResult, hostileResult, hugeResult, noEvidenceResult, passingResult } from '../render/result-fixtures.js';

/** The schema with every object that lists its properties closed to others. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closed(v)])) : closed(value);
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

const strict = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false }).compile(closed(loadResultSchema()) as object);
function strictProblems(data: unknown): string[] {
  return strict(data) ? [] : (strict.errors ?? []).map(describeSchemaError);
}

describe('schemas/result.schema.json', () => {
  it('is versioned with the schemaVersion qgate writes, and shipped in the npm package', () => {
    const schema = loadResultSchema() as { $schema: string; properties: { schemaVersion: { const: number } } };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.schemaVersion.const).toBe(RESULT_SCHEMA_VERSION);
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
  });

  it.each([
    ['empty', emptyResult()],
    ['passing', passingResult()],
    ['failing', failingResult()],
    ['no-evidence', noEvidenceResult()],
    ['hostile', hostileResult()],
    ['huge', hugeResult()],
  ])('accepts the %s render fixture, with no field the schema does not know', (_name, result) => {
    const text = JSON.stringify(result);
    expect(strictProblems(JSON.parse(text))).toEqual([]);
    expect(readResultJson(text).ok).toBe(true);
  });

  it('accepts the error report of a failed run (the optional `error` object), with no field the schema does not know', () => {
    const now = () => new Date('2026-01-01T00:00:00Z');
    for (const error of [
      new QgateError('INPUT_MALFORMED', 'has a malformed DA record.', { file: 'lcov.info', position: { line: 3 } }),
      new QgateError('CONFIG_INVALID', 'The configuration has 2 problems:\n  a\n  b'),
      new TypeError('x.map is not a function'),
    ]) {
      const text = JSON.stringify(buildErrorResult(error, {}, now));
      expect(strictProblems(JSON.parse(text))).toEqual([]);
      expect(readResultJson(text).ok).toBe(true);
    }
  });

  it('accepts the result.json of a real run on the bundled sample', () => {
    const { repo, baseSha } = makeSampleRepo(tmpdir()) as { repo: string; baseSha: string };
    try {
      const cli = join(process.cwd(), 'dist', 'cli', 'main.js');
      const run = spawnSync(process.execPath, [cli, 'check', '--coverage', 'coverage/cobertura-coverage.xml', '--coverage', 'coverage/lcov.info'], {
        cwd: repo,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha },
      });
      expect(run.status, run.stderr).toBe(1);
      const text = readFileSync(join(repo, 'qgate-report', 'result.json'), 'utf8');
      expect(strictProblems(JSON.parse(text))).toEqual([]);
      expect(readResultJson(text).ok).toBe(true);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('gives one clear message for what is not a readable result', () => {
    const valid = JSON.parse(JSON.stringify(passingResult())) as Record<string, unknown>;
    const problem = (data: unknown): string | null => {
      const read = readResultJson(typeof data === 'string' ? data : JSON.stringify(data));
      return read.ok ? null : read.problem;
    };
    expect(problem('{"schemaVersion":1')).toBe('is not valid JSON');
    expect(problem({ verdict: 'pass' })).toBe('is not a qgate result.json');
    expect(problem({ ...valid, schemaVersion: 2, tool: { name: 'qgate', version: '9.0.0' } })).toBe(
      'has schemaVersion 2 (written by qgate 9.0.0); this qgate reads schemaVersion 1: upgrade qgate to read it',
    );
    expect(problem({ ...valid, schemaVersion: undefined })).toBe('has schemaVersion missing (written by qgate 0.1.0); this qgate reads schemaVersion 1');
    expect(problem({ ...valid, verdict: 'maybe' })).toBe(
      'is damaged: it does not match the result.json schema (schemaVersion 1): /verdict must be one of "pass", "warn", "fail"',
    );
    const coverage = valid.coverage as { overall: Record<string, unknown> };
    expect(problem({ ...valid, coverage: { ...coverage, overall: { ...coverage.overall, percent: '100' } } })).toMatch(
      /^is damaged: .*: \/coverage\/overall\/percent must be number,null/,
    );
    // A field added later within schemaVersion 1 does not make an older reader refuse the result.
    expect(problem({ ...valid, futureField: { anything: true } })).toBeNull();
  });
});
