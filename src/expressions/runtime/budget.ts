/**
 * Per-evaluation safety limits: a step budget (loops, calls, lambda invocations), a wall-clock
 * budget, and caps on string length and collection size. Hitting one is an evaluation error,
 * so a runaway expression costs one request, never the gateway.
 */
import { ExpressionEvaluationError } from '../errors.js';

export interface ExpressionLimits {
  /** Loop iterations, calls and lambda invocations per evaluation. */
  maxSteps: number;
  /** Wall-clock milliseconds per evaluation. */
  maxMilliseconds: number;
  /** Longest string (UTF-16 code units) an expression may build. */
  maxStringLength: number;
  /** Most elements a collection built by an expression may hold. */
  maxCollectionSize: number;
}

export const defaultLimits: ExpressionLimits = {
  maxSteps: 1_000_000,
  // One evaluation holds the event loop for at most this long (plus 10 %): a runaway
  // expression must not stall every other request for seconds.
  maxMilliseconds: 500,
  maxStringLength: 4 * 1024 * 1024,
  maxCollectionSize: 1_000_000,
};

/** The state of one evaluation, threaded through every runtime call. */
export class Runtime {
  private steps = 0;
  /**
   * Set at the first step: most expressions (`@(context.Subscription.Id)`) take no step at all,
   * and reading the clock for each of them is a measurable share of a request. Work done before
   * the first step is bounded (no loop, call or lambda has run yet).
   */
  private deadline = -1;

  constructor(
    readonly limits: ExpressionLimits,
    /** Current time in ms since the Unix epoch (the gateway clock). */
    readonly now: () => number,
  ) {}

  /** Counts one step; checks the clock every 256 steps. */
  step(): void {
    if (this.deadline < 0) this.deadline = performance.now() + this.limits.maxMilliseconds;
    this.steps++;
    if (this.steps > this.limits.maxSteps) {
      throw new ExpressionEvaluationError(`Expression evaluation failed. The expression exceeded its budget of ${this.limits.maxSteps} steps.`);
    }
    if ((this.steps & 255) === 0 && performance.now() > this.deadline) {
      throw new ExpressionEvaluationError(`Expression evaluation failed. The expression exceeded its time budget of ${this.limits.maxMilliseconds} ms.`);
    }
  }

  /** Fails now (not at the next 256th step) when the wall-clock budget is spent. */
  checkTime(): void {
    if (this.remainingMilliseconds() <= 0) {
      throw new ExpressionEvaluationError(`Expression evaluation failed. The expression exceeded its time budget of ${this.limits.maxMilliseconds} ms.`);
    }
  }

  /** Milliseconds left of the wall-clock budget (starting the clock if no step ran yet). */
  remainingMilliseconds(): number {
    const now = performance.now();
    if (this.deadline < 0) this.deadline = now + this.limits.maxMilliseconds;
    return Math.max(0, this.deadline - now);
  }

  /**
   * Counts `n` units of work at once (bulk string, collection, parsing or hashing operations).
   * Bulk work is where time goes, so it reads the clock every time, not every 256th step.
   */
  work(n: number): void {
    if (n > 4096) {
      this.steps += Math.floor(n / 4096);
      this.step();
      this.checkTime();
    }
  }

  /**
   * Called before a native operation that may take milliseconds on its own (RSA, hashing,
   * ciphers): fails when the budget is spent, so a loop of them overruns by one operation at
   * most instead of up to 256.
   */
  beforeCostly(): void {
    this.step();
    this.checkTime();
  }

  /** Fails when a string about to be built is longer than allowed. */
  checkLength(length: number): void {
    if (length > this.limits.maxStringLength) {
      throw new ExpressionEvaluationError(`Expression evaluation failed. A string of ${length} characters exceeds the limit of ${this.limits.maxStringLength}.`);
    }
  }

  /** Returns the string after checking its length. */
  str(s: string): string {
    if (s.length > this.limits.maxStringLength) this.checkLength(s.length);
    return s;
  }

  /** Fails when a collection about to be built is larger than allowed. */
  checkSize(size: number): void {
    if (size > this.limits.maxCollectionSize) {
      throw new ExpressionEvaluationError(`Expression evaluation failed. A collection of ${size} elements exceeds the limit of ${this.limits.maxCollectionSize}.`);
    }
  }
}
