/**
 * Arm `gatehouse-cache-hit`: Gatehouse answering from its built-in response cache (issue 15:
 * "a cache hit costs less than a backend call"). The routing arm's API with a `cache-lookup`
 * and a `cache-store`; every measured request is a hit (the preflight fills the cache, one
 * entry per size, and checks the next answers come from it). The backend is not called.
 */
import { join } from 'node:path';
import { apiFiles, writeApiopsFiles } from '../harness/apiops-folder.js';
import { freshAnswerHeader } from '../harness/preflight.js';
import { backendPath } from '../harness/sizes.js';
import type { Arm } from '../harness/types.js';
import { startGatehouse } from './gatehouse-launcher.js';


const cachingPolicy = `<policies>
  <inbound><base /><cache-lookup vary-by-developer="false" vary-by-developer-groups="false" caching-type="internal" /></inbound>
  <backend><base /></backend>
  <outbound><base /><cache-store duration="3600" /><!-- after cache-store: the stored answer does not carry it --><set-header name="${freshAnswerHeader}" exists-action="override"><value>1</value></set-header></outbound>
  <on-error><base /></on-error>
</policies>`;

export const gatehouseCacheHitArm: Arm = {
  id: 'gatehouse-cache-hit',
  label: 'Gatehouse, cache hit',
  description: `Gatehouse with one gateway process (--workers 1): API 'cached' at /cached (GET /size/{n}), subscriptionRequired false, an API policy with cache-lookup (caching-type internal) and cache-store duration 3600; every measured request is answered from the built-in cache.`,
  async start(ctx) {
    const files = {
      ...apiFiles('cached', { path: 'cached', serviceUrl: ctx.backendUrl, subscriptionRequired: false }, ['/size/{n}']),
      'apis/cached/policy.xml': cachingPolicy,
    };
    const configDir = writeApiopsFiles(join(ctx.workDir, 'config'), files);
    const gh = await startGatehouse(ctx.root, configDir, join(ctx.workDir, 'data'), ctx.log);
    return {
      baseUrl: gh.url,
      pathFor: (size) => `/cached${backendPath(size)}`,
      headers: {},
      expects: { inboundHeader: false, outboundHeader: false, keyRequired: false, servedFromCache: true },
      stop: gh.process.stop,
    };
  },
};
