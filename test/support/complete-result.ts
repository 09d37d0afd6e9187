/**
 * A complete, schema-valid result.json with some fields replaced: readers of another run's result
 * (baseline, history, scorecard) validate it against schemas/result.schema.json, so a test's
 * baseline must be a whole result, not the few fields the test is about.
 */
import { failingResult, passingResult } from '../render/result-fixtures.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Json, overrides: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    out[key] = isObject(value) && isObject(base[key]) ? merge(base[key] as Json, value) : value;
  }
  return out;
}

/** `base`: the passing result (coverage and e2e) or the failing one (also k6 and mutation). */
export function completeResult(overrides: Json, base: 'passing' | 'failing' = 'passing'): Json {
  return merge((base === 'passing' ? passingResult() : failingResult()) as unknown as Json, overrides);
}
