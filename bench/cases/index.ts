/**
 * Every case of a run, in the order they run. Adding a case = one file exporting a `BenchCase`
 * (bench/harness/types.ts) + one line here; `--cases` selects among these ids. A case may read
 * the samples of the cases before it (the latency case reads the throughput case's max rate).
 */
import type { BenchCase } from '../harness/types.js';
import { closedLoopThroughputCase } from './closed-loop-throughput.js';
import { openLoopLatencyCase } from './open-loop-latency.js';
import { SCALE_CASES } from '../scale/index.js';
import { policyCostsCase } from '../policy-costs/policy-costs-case.js';

export const CASES: BenchCase[] = [closedLoopThroughputCase, openLoopLatencyCase, ...SCALE_CASES, policyCostsCase];
