/**
 * Arm `gatehouse-typical-2w`: the typical set of gatehouse-typical.ts served by `--workers 2`
 * (two gateway processes on one port, counters shared through the primary), for the issue's
 * 1 vs 2 worker figure. On a 2-core machine the load generator and the backend share the cores.
 */
import { join } from 'node:path';
import { writeApiopsFiles } from '../harness/apiops-folder.js';
import type { Arm } from '../harness/types.js';
import { startGatehouse } from './gatehouse-launcher.js';
import { typicalConfigFiles, typicalObservability } from './gatehouse-typical.js';
import { TYPICAL_KEY, typicalPath } from './typical-set.js';

export const gatehouseTypicalTwoWorkersArm: Arm = {
  id: 'gatehouse-typical-2w',
  label: 'Gatehouse, typical set, 2 workers',
  description: 'The typical set with `--workers 2`: two gateway processes on one port (node:cluster), rate-limit counters kept in the primary; access log (to /dev/null) and metrics on in each worker.',
  notes: ['2 workers vs 1: the load generator (wrk) and the backend run on the same 2 cores as the workers, so this ratio understates what a second core gives a gateway host.'],
  async start(ctx) {
    const configDir = writeApiopsFiles(join(ctx.workDir, 'config'), typicalConfigFiles(ctx.backendUrl));
    const gh = await startGatehouse(ctx.root, configDir, join(ctx.workDir, 'data'), ctx.log, { workers: 2, observe: typicalObservability });
    return {
      baseUrl: gh.url,
      pathFor: typicalPath,
      headers: { 'Ocp-Apim-Subscription-Key': TYPICAL_KEY },
      expects: { inboundHeader: true, outboundHeader: true, keyRequired: true },
      stop: gh.process.stop,
    };
  },
};
