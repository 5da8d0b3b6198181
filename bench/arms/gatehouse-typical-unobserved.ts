/**
 * Arm `gatehouse-typical-unobserved`: the typical set of gatehouse-typical.ts with the access log
 * and the metrics off. Not a configuration the issues measure against (they want both on): it is
 * the experiment behind the round-2 finding that observation is the largest single cost of the
 * typical set, so its ratio to `gatehouse-typical` is what taking that cost off the hot path would give.
 */
import { typicalGatehouseArm } from './gatehouse-typical.js';

export const gatehouseTypicalUnobservedArm = typicalGatehouseArm({
  id: 'gatehouse-typical-unobserved',
  label: 'Gatehouse, typical set, access log and metrics off',
  description: 'The typical set with one gateway process (--workers 1) and `--access-log off --metrics off`: what the typical set costs without observing each request.',
  notes: [],
  workers: 1,
  observed: false,
});
