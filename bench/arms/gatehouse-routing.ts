/** Arm `gatehouse-routing`: Gatehouse with one open API (no subscription key, no policies). */
import { join } from 'node:path';
import { apiFiles, writeApiopsFiles } from '../harness/apiops-folder.js';
import { backendPath } from '../harness/sizes.js';
import type { Arm } from '../harness/types.js';
import { startGatehouse } from './gatehouse-launcher.js';

/** A Gatehouse arm serving the routing API 'bench' at /bench, with `apiPolicy` as its API policy document when given. */
export function routingGatehouseArm(spec: Pick<Arm, 'id' | 'label' | 'description'> & { apiPolicy?: string }): Arm {
  const { apiPolicy, ...arm } = spec;
  return {
    ...arm,
    async start(ctx) {
      const configDir = writeApiopsFiles(join(ctx.workDir, 'config'), {
        ...apiFiles('bench', { path: 'bench', serviceUrl: ctx.backendUrl, subscriptionRequired: false }, ['/size/{n}']),
        ...(apiPolicy === undefined ? {} : { 'apis/bench/policy.xml': apiPolicy }),
      });
      const gh = await startGatehouse(ctx.root, configDir, join(ctx.workDir, 'data'), ctx.log);
      return {
        baseUrl: gh.url,
        pathFor: (size) => `/bench${backendPath(size)}`,
        headers: {},
        expects: { inboundHeader: false, outboundHeader: false, keyRequired: false },
        stop: gh.process.stop,
      };
    },
  };
}

export const gatehouseRoutingArm: Arm = routingGatehouseArm({
  id: 'gatehouse-routing',
  label: 'Gatehouse, routing only',
  description: "Gatehouse with one gateway process (--workers 1): API 'bench' at /bench (GET /size/{n}), subscriptionRequired false, no policy documents.",
});
