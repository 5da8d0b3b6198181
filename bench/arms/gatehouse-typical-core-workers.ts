/**
 * Arm `gatehouse-typical-nw`: the typical set of gatehouse-typical.ts served by one gateway
 * process per core of this machine (`--workers N`, N = os.availableParallelism(), what `start`
 * runs when not told otherwise; counters shared through the primary), for the 1 vs N
 * worker figure. The load generator and the backend run on the same cores.
 */
import { availableParallelism } from 'node:os';
import { typicalGatehouseArm } from './gatehouse-typical.js';

/** N: the gateway processes of this arm, one per core this process may run on. */
export const coreWorkerCount = availableParallelism();

/** What the 1 vs N figure cannot separate on this machine: shown beside the figure. */
export const sharedCoresNote = `shared cores: wrk, the backend and the start process run on the same ${coreWorkerCount} core(s) as the workers`;

export const gatehouseTypicalCoreWorkersArm = typicalGatehouseArm({
  id: 'gatehouse-typical-nw',
  label: `Gatehouse, typical set, ${coreWorkerCount} workers (one per core)`,
  description: `The typical set with \`--workers ${coreWorkerCount}\`, one gateway process per core (the default of \`start\`): the processes share one port (node:cluster), rate-limit counters kept in the primary; access log (to /dev/null) and metrics on in each worker.`,
  notes: [`${coreWorkerCount} workers vs 1 (${sharedCoresNote}): the ratio understates what the cores give a gateway host of its own.`],
  workers: coreWorkerCount,
});
