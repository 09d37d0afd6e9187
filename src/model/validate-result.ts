/**
 * The one answer to "is this a qgate result.json I can read?", for every reader of another
 * run's result (the baseline, both scorecard collectors): the JSON Schema shipped in the package
 * (`schemas/result.schema.json`, docs/result-json.md) decides, so a result from a newer qgate or
 * a damaged one gets the same message wherever it is read.
 *
 * The schema is compiled on first use, not at import: a run that reads no result pays nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RESULT_SCHEMA_VERSION } from './result.js';

/** `schemas/result.schema.json`: two folders up from both `src/model/` and `dist/model/`. */
export const RESULT_SCHEMA_URL = new URL('../../schemas/result.schema.json', import.meta.url);

export type ResultRead = { ok: true; result: Record<string, unknown> } | { ok: false; problem: string };

let validator: ValidateFunction | undefined;

/** The published schema, parsed. */
export function loadResultSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(RESULT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function validate(data: unknown): ErrorObject[] {
  if (validator === undefined) {
    // ajv itself (a CommonJS package) is loaded here too: a run that reads no result never loads it.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    validator = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false }).compile(loadResultSchema());
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** One line per schema violation: `/coverage/overall/percent must be number,null`. */
export function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the top level' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${where} has the unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${error.message ?? 'is not valid'}`;
}

/** The schema violations of already-parsed data (empty when it is a valid result). */
export function resultSchemaProblems(data: unknown): string[] {
  return validate(data).map(describeSchemaError);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a result.json text. The problem completes a sentence that starts with the file's name
 * ("results/1.json" + " has schemaVersion 2 …"), without a trailing period.
 */
export function readResultJson(text: string): ResultRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (!isObject(data) || !isObject(data.tool) || data.tool.name !== 'qgate') return { ok: false, problem: 'is not a qgate result.json' };
  const version = data.schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    const writer = typeof data.tool.version === 'string' ? ` (written by qgate ${data.tool.version.slice(0, 40)})` : '';
    const newer = typeof version === 'number' && version > RESULT_SCHEMA_VERSION;
    return {
      ok: false,
      problem: `has schemaVersion ${JSON.stringify(version) ?? 'missing'}${writer}; this qgate reads schemaVersion ${RESULT_SCHEMA_VERSION}${newer ? ': upgrade qgate to read it' : ''}`,
    };
  }
  const problems = resultSchemaProblems(data);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return { ok: false, problem: `is damaged: it does not match the result.json schema (schemaVersion ${RESULT_SCHEMA_VERSION}): ${problems[0]}${more}` };
  }
  return { ok: true, result: data };
}
