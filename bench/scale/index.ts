/** The scale cases (issue 6, scope 2), in the order they run; bench/cases/index.ts lists them after the comparison cases. */
import type { BenchCase } from '../harness/types.js';
import { configChurnCase } from './config-churn-case.js';
import { configImportCase } from './config-import-case.js';
import { scaleThroughputCase } from './scale-throughput-case.js';
import { snapshotBuildCase } from './snapshot-build-case.js';

export const SCALE_CASES: BenchCase[] = [snapshotBuildCase, scaleThroughputCase, configChurnCase, configImportCase];
