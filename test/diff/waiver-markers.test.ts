import { describe, expect, it } from 'vitest';
import { findWaiver } from '../../src/diff/waiver-markers.js';

describe('findWaiver', () => {
  it('finds each producer’s coverage exclusion as written', () => {
    const cases: Array<[string, string]> = [
      ['/* istanbul ignore next */', 'istanbul ignore next'],
      ['// c8 ignore next 3', 'c8 ignore next 3'],
      ['/* v8 ignore start */', 'v8 ignore start'],
      ['// node:coverage ignore next', 'node:coverage ignore next'],
      ['// node:coverage disable', 'node:coverage disable'],
      ['    if debug:  # pragma: no cover', 'pragma: no cover'],
      ['  foo(); // LCOV_EXCL_LINE', 'LCOV_EXCL_LINE'],
      ['// GCOVR_EXCL_START', 'GCOVR_EXCL_START'],
      ['/** @codeCoverageIgnore */', '@codeCoverageIgnore'],
      ['  # :nocov:', '# :nocov:'],
      ['// coverage:ignore-file', 'coverage:ignore-file'],
      ['#[coverage(off)]', '#[coverage(off)]'],
      ['[ExcludeFromCodeCoverage]', '[ExcludeFromCodeCoverage'],
    ];
    for (const [line, marker] of cases) expect(findWaiver(line), line).toEqual({ kind: 'coverage-exclusion', marker });
  });

  it('finds test skips and skip tags on a Gherkin tag line', () => {
    const cases: Array<[string, string]> = [
      ["it.skip('sells out', () => {", 'it.skip('],
      ['  describe.skip("stock", () => {', 'describe.skip('],
      ["test.todo('later')", 'test.todo('],
      ["xit('old', () => {})", 'xit('],
      ['@pytest.mark.skip(reason="flaky")', '@pytest.mark.skip'],
      ['@unittest.skipIf(WINDOWS, "no")', '@unittest.skipIf'],
      ['  @Disabled("JIRA-1")', '@Disabled'],
      ['\tt.Skip("needs network")', 't.Skip('],
      ['  @wip @smoke', '@wip'],
      ['@Quarantine', '@Quarantine'],
    ];
    for (const [line, marker] of cases) expect(findWaiver(line), line).toEqual({ kind: 'skipped-test', marker });
  });

  it('leaves ordinary code alone', () => {
    for (const line of ['const skipped = items.filter(ignoreCase);', 'it("runs", () => {});', '@Component({ selector: "x" })', 'email: a@wip.example.com', 'coverage = 80', '  @skipper_tag', 'skip(); ignore();']) {
      expect(findWaiver(line), line).toBeNull();
    }
  });
});
