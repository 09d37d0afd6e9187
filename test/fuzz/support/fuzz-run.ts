/**
 * How much to fuzz and where the counts go. The normal test run uses a fixed seed and few cases
 * per family (reproducible, a few seconds); `npm run test:fuzz` sets QGATE_FUZZ=long for a random
 * seed and many cases, and QGATE_FUZZ_SUMMARY to a file each family appends its counts to.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

export const LONG = process.env.QGATE_FUZZ === 'long';
/** The seed: fixed in CI; `QGATE_FUZZ_SEED` replays a long run's failure. */
export const SEED = process.env.QGATE_FUZZ_SEED !== undefined ? Number(process.env.QGATE_FUZZ_SEED) : LONG ? Date.now() % 2 ** 31 : 17;

/** Cases per family: `short` in the normal run, `long` in `npm run test:fuzz`. */
export function casesPerFamily(short: number, long: number): number {
  return LONG ? long : short;
}

/** One broken invariant: which case, what it was fed, what went wrong. */
export interface FuzzFailure {
  input: string;
  problem: string;
}

export interface FamilyTally {
  family: string;
  cases: number;
  /** Cases where qgate accepted the damaged input; the rest were refused with a clear error. */
  accepted: number;
  /** Cases whose injected markup (`qgfz`) reached comment.md or index.html (escaped), for the pipeline families. */
  reached: number;
  failures: FuzzFailure[];
}

/**
 * Runs `check` on `numRuns` generated values and counts every case, failing or not: a failure is
 * recorded (not thrown) so the count of failures is complete, and the test fails at the end with
 * the first few. `check` returns the problems it found, and whether the input was accepted.
 */
export async function fuzzFamily<T>(
  family: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<{ accepted: boolean; reached?: boolean; problems: string[]; input: string }>,
): Promise<FamilyTally> {
  const tally: FamilyTally = { family, cases: 0, accepted: 0, reached: 0, failures: [] };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      tally.cases += 1;
      const outcome = await check(value);
      if (outcome.accepted) tally.accepted += 1;
      if (outcome.reached === true) tally.reached += 1;
      for (const problem of outcome.problems) tally.failures.push({ input: outcome.input, problem });
      return true;
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
  report(tally);
  return tally;
}

function report(tally: FamilyTally): void {
  const line = { family: tally.family, cases: tally.cases, accepted: tally.accepted, reached: tally.reached, failures: tally.failures.length, seed: SEED, examples: tally.failures.slice(0, 5) };
  const summary = process.env.QGATE_FUZZ_SUMMARY;
  if (summary) appendFileSync(summary, `${JSON.stringify(line)}\n`);
}

/** The failures as a message a reader can replay: the seed, the input, the problem. */
export function describeFailures(tally: FamilyTally): string {
  return [
    `${tally.failures.length} of ${tally.cases} ${tally.family} cases broke an invariant (seed ${SEED}; replay with QGATE_FUZZ_SEED=${SEED}):`,
    ...tally.failures.slice(0, 8).map((failure) => `- ${failure.problem}\n  input: ${failure.input}`),
  ].join('\n');
}
