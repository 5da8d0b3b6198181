/**
 * Arm `gatehouse-typical-inproc`: the typical set of gatehouse-typical.ts served by `--workers 0`,
 * the gateway inside the start process (no isolation from the management API, counters in the
 * same process). Its ratio to `gatehouse-typical` (one gateway process) is the price of the isolation.
 */
import { typicalGatehouseArm } from './gatehouse-typical.js';

export const gatehouseTypicalInProcessArm = typicalGatehouseArm({
  id: 'gatehouse-typical-inproc',
  label: 'Gatehouse, typical set, in the start process',
  description:
    'The typical set with `--workers 0`: the gateway in the start process, sharing its event loop with the management API; counters in the same process, no IPC. Access log (to /dev/null) and metrics on.',
  notes: [
    'One gateway process (--workers 1) vs in-process: the gateway process adds an IPC round trip to the start process for every counted call (batched per event-loop turn) and a second process on the shared cores; the single worker accepts its connections itself (SCHED_NONE), so connections do not pass through the start process.',
  ],
  workers: 0,
});
