/**
 * Arm `fast-gateway`: fast-gateway@3.4.7 (npm, into bench/vendor/fast-gateway) doing the typical
 * set with one route and its hooks (arms/servers/fast-gateway-server.ts): key lookup in a Map,
 * a fixed-window per-subscription counter, inbound and outbound headers, urlRewrite. Its proxy
 * is fast-proxy-lite over a keep-alive http.Agent.
 */
import { join } from 'node:path';
import { freeLoopbackPort } from '../harness/free-port.js';
import { launchProcess, nodeTsArgs } from '../harness/process-launcher.js';
import { ensureVendored, isVendored } from '../harness/vendor-packages.js';
import type { Arm } from '../harness/types.js';
import { TYPICAL_KEY, TYPICAL_RATE_LIMIT_CALLS, TYPICAL_RATE_LIMIT_PERIOD_S, typicalPath } from './typical-set.js';

const PACKAGE = 'fast-gateway';
const VERSION = '3.4.7';

export const fastGatewayArm: Arm = {
  id: 'fast-gateway',
  label: `fast-gateway ${VERSION}`,
  description:
    'fast-gateway: one route, onRequest hook = key lookup (Ocp-Apim-Subscription-Key in a Map) + fixed-window counter per subscription ' +
    '(never reached) + inbound header; urlRewrite for the path; rewriteHeaders for the outbound header.',
  available: (root) => isVendored(root, PACKAGE, PACKAGE, VERSION),
  async start(ctx) {
    const vendor = await ensureVendored(ctx.root, PACKAGE, PACKAGE, VERSION, ctx.install, ctx.log);
    const port = await freeLoopbackPort();
    const proc = await launchProcess(
      process.execPath,
      nodeTsArgs(join(ctx.root, 'bench/arms/servers/fast-gateway-server.ts'), [
        vendor, ctx.backendUrl, String(port), TYPICAL_KEY, String(TYPICAL_RATE_LIMIT_CALLS), String(TYPICAL_RATE_LIMIT_PERIOD_S),
      ]),
      { cwd: ctx.root, name: 'fast-gateway', env: { NODE_ENV: 'production' }, readyWhen: /^fast-gateway ready/ },
    );
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      pathFor: typicalPath,
      headers: { 'Ocp-Apim-Subscription-Key': TYPICAL_KEY },
      expects: { inboundHeader: true, outboundHeader: true, keyRequired: true },
      stop: proc.stop,
    };
  },
};
