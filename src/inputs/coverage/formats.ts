/**
 * The coverage format names, in sniffing order, without loading any parser: `qgate --help`
 * and argument checking need only the names (cold start). `registry.ts` derives the same list
 * from its parsers; `test/inputs/coverage/formats.test.ts` keeps the two equal.
 */
import type { CoverageFormat } from '../../model/coverage.js';

export const COVERAGE_FORMAT_NAMES: readonly CoverageFormat[] = ['clover', 'cobertura', 'istanbul-summary', 'istanbul', 'lcov'];
