/**
 * Arm `gatehouse-typical-2w`: the typical set of gatehouse-typical.ts served by `--workers 2`
 * (two gateway processes on one port, counters shared through the primary), for the issue's
 * 1 vs 2 worker figure. On a 2-core machine the load generator and the backend share the cores.
 */
import { typicalGatehouseArm } from './gatehouse-typical.js';

export const gatehouseTypicalTwoWorkersArm = typicalGatehouseArm({
  id: 'gatehouse-typical-2w',
  label: 'Gatehouse, typical set, 2 workers',
  description: 'The typical set with `--workers 2`: two gateway processes on one port (node:cluster), rate-limit counters kept in the primary; access log (to /dev/null) and metrics on in each worker.',
  notes: ['2 workers vs 1: the load generator (wrk) and the backend run on the same 2 cores as the workers, so this ratio understates what a second core gives a gateway host.'],
  workers: 2,
});
