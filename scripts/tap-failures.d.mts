/** Types of tap-failures.mjs, for the TypeScript tests that import it. */
export interface FailureCollector {
  /** Feeds the next chunk of the TAP report. */
  add(chunk: string): void;
  /** Ends the report; one text per `not ok` result, with its YAML details. */
  finish(): string[];
}

/** A collector of a TAP report's failures. */
export function collectFailures(): FailureCollector;
