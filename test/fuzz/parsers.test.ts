/**
 * Fuzz, in process (issue 17 item 6): every format's real fixtures, damaged (truncated, bytes
 * flipped, lines duplicated or dropped, markup, hostile paths, huge numbers and NUL bytes
 * injected), first re-encoded as UTF-8 with or without a BOM or UTF-16LE/BE, are read by the
 * format's reader. Each case either parses or is refused with a
 * QgateError that names the file, never any other exception (which the CLI would report as an
 * internal error). Fixed seed here; `npm run test:fuzz` runs many more on a random seed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatError, isQgateError } from '../../src/errors.js';
import { FAMILIES, hasStackTrace } from './support/families.js';
import { casesPerFamily, describeFailures, fuzzFamily } from './support/fuzz-run.js';
import { damage, describeMutations, encodingArbitrary, mutationsArbitrary } from './support/mutations.js';

const work = mkdtempSync(join(tmpdir(), 'qgate-fuzz-parsers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Parsing must not hang on a damaged file: far above what any of these fixtures takes. */
const CASE_TIMEOUT_MS = 10_000;

describe.each(FAMILIES.map((family) => [family.family, family] as const))('%s', (_name, family) => {
  it('reads damaged real fixtures without crashing; every refusal is a QgateError naming the file', async () => {
    expect(family.fixtures.length).toBeGreaterThan(0);
    const arbitrary = fc.record({ fixture: fc.integer({ min: 0, max: family.fixtures.length - 1 }), encoding: encodingArbitrary, mutations: mutationsArbitrary() });
    let index = 0;
    const tally = await fuzzFamily(family.family, arbitrary, casesPerFamily(40, 400), async ({ fixture, encoding, mutations }) => {
      const source = family.fixtures[fixture]!;
      const file = `fuzz-${(index += 1)}.${family.extension}`;
      const path = join(work, file);
      writeFileSync(path, damage(source.bytes, encoding, mutations, family.syntax, join(work, 'secret.txt')));
      const input = `${source.name} (${encoding}) ${describeMutations(mutations)}`;
      const problems: string[] = [];
      let accepted = false;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          family.read(file, path),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
          }),
        ]);
        accepted = true;
      } catch (error) {
        if (!isQgateError(error)) {
          problems.push(`not a QgateError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        } else {
          const message = formatError(error);
          if (!message.includes(file)) problems.push(`the error does not name the file: ${message}`);
          if (hasStackTrace(message)) problems.push(`the error contains a stack trace: ${message}`);
        }
      } finally {
        clearTimeout(timer);
        rmSync(path, { force: true });
      }
      return { accepted, problems, input };
    });
    expect(tally.failures, describeFailures(tally)).toEqual([]);
  });
});
