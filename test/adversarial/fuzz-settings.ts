/**
 * Settings shared by the property-based fuzzers (fast-check). `npm test` runs each property
 * with a fixed seed and a bounded number of cases, so a run is reproducible and its length does
 * not depend on the machine. `npm run fuzz` (scripts/fuzz.mjs) runs the same properties longer
 * with a fresh seed it prints: `FUZZ_SEED=<seed> FUZZ_RUNS=<n>` replays a failure.
 */
import fc from 'fast-check';

const seedText = process.env.FUZZ_SEED;
const runsText = process.env.FUZZ_RUNS;

/** The fast-check parameters for one property; `runs` is its share in the bounded CI run. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return {
    seed: seedText === undefined ? 20261206 : Number(seedText),
    numRuns: runsText === undefined ? runs : Number(runsText),
    endOnFailure: true,
  };
}

/** Asserts a synchronous property with the shared parameters. */
export function checkProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, runs: number): void {
  fc.assert(fc.property(arbitrary, predicate), fuzzParameters(runs) as fc.Parameters<[T]>);
}

/** Random edits (delete, insert a character of `alphabet`, duplicate a slice, truncate) of seed texts. */
export function mutatedText(seeds: readonly string[], alphabet: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.nat(), fc.constantFrom(...alphabet.split('')));
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([seed, edits]) => {
    let s = seed;
    for (const [position, kind, span, char] of edits) {
      const at = s.length === 0 ? 0 : position % (s.length + 1);
      if (kind === 0) s = s.slice(0, at) + s.slice(at + 1 + (span % 3));
      else if (kind === 1) s = s.slice(0, at) + char + s.slice(at);
      else if (kind === 2) s = s.slice(0, at) + s.slice(at, at + 1 + (span % 12)) + s.slice(at);
      else s = s.slice(0, at);
    }
    return s;
  });
}
