/**
 * Arm `gatehouse-typical-unobserved-inproc`: the typical set of gatehouse-typical.ts with the
 * access log and the metrics off, served by `--workers 0` (the gateway in the start process, so
 * each counted call is a call in the same process, with no IPC round trip). Not a configuration
 * the issues measure against: it is the experiment that bounds round 2's two remaining design
 * changes together (observation at no cost per request, counters leased to the gateway process
 * so that a call needs no round trip), leaving only the policies, the key check and routing.
 */
import { typicalGatehouseArm } from './gatehouse-typical.js';

export const gatehouseTypicalUnobservedInProcessArm = typicalGatehouseArm({
  id: 'gatehouse-typical-unobserved-inproc',
  label: 'Gatehouse, typical set, access log and metrics off, in the start process',
  description:
    'The typical set with `--workers 0 --access-log off --metrics off`: the policies, the key check and routing alone, counters in the same process (no IPC), nothing observed per request.',
  notes: [],
  workers: 0,
  observed: false,
});
