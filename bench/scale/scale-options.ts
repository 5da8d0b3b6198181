/**
 * Which configuration size the scale cases use: the 10,000 APIs × 10 operations and
 * 100,000 subscriptions in a full run, a twentieth of that with `--quick`; the environment variables
 * BENCH_SCALE_APIS and BENCH_SCALE_SUBSCRIPTIONS override either (for trying a size out).
 */
import type { HarnessOptions } from '../harness/types.js';
import { FULL_SHAPE, QUICK_SHAPE, type ScaleShape } from './scale-shape.js';

/** The shape of this run. */
export function scaleShapeFor(options: Pick<HarnessOptions, 'quick'>, env: NodeJS.ProcessEnv = process.env): ScaleShape {
  const shape = { ...(options.quick ? QUICK_SHAPE : FULL_SHAPE) };
  const apis = Number(env.BENCH_SCALE_APIS);
  const subscriptions = Number(env.BENCH_SCALE_SUBSCRIPTIONS);
  if (Number.isInteger(apis) && apis > 0) {
    shape.apis = apis;
    shape.products = Math.max(1, Math.min(shape.products, Math.floor(apis / 10)));
  }
  if (Number.isInteger(subscriptions) && subscriptions > 0) shape.subscriptions = subscriptions;
  return shape;
}

/** `10,000 APIs × 10 operations, 100,000 subscriptions`. */
export function describeShape(shape: ScaleShape): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${n(shape.apis)} APIs × ${shape.operationsPerApi} operations, ${n(shape.subscriptions)} subscriptions, ${n(shape.products)} products`;
}

/** Seconds of churn in total: 60 (issue 6), 3 with `--quick`; BENCH_CHURN_SECONDS overrides. */
export function churnSeconds(options: Pick<HarnessOptions, 'quick'>, env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.BENCH_CHURN_SECONDS);
  return Number.isInteger(override) && override > 0 ? override : options.quick ? 3 : 60;
}

/** Swaps of the memory check: 1,000 (issue 6), 100 with `--quick`; BENCH_SWAPS overrides (at least 10). */
export function swapCount(options: Pick<HarnessOptions, 'quick'>, env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.BENCH_SWAPS);
  return Number.isInteger(override) && override >= 10 ? override : options.quick ? 100 : 1000;
}
