import { describe, expect, it } from 'vitest';
import { COVERAGE_FORMAT_NAMES } from '../../../src/inputs/coverage/formats.js';
import { COVERAGE_FORMATS } from '../../../src/inputs/coverage/registry.js';

describe('coverage format names', () => {
  it('the parser-free list the CLI loads equals the registry, in sniffing order', () => {
    expect(COVERAGE_FORMAT_NAMES).toEqual(COVERAGE_FORMATS);
  });
});
