/** Arm `bare`: the ~30-line node:http + undici Pool proxy of bench/baselines/bare-node-proxy.ts. */
import { join } from 'node:path';
import { launchProcess, nodeTsArgs } from '../harness/process-launcher.js';
import { backendPath } from '../harness/sizes.js';
import type { Arm } from '../harness/types.js';

export const bareNodeArm: Arm = {
  id: 'bare',
  label: 'bare Node proxy',
  description: 'node:http server + undici Pool (128 connections), hop-by-hop headers dropped, bodies streamed; no policies.',
  async start(ctx) {
    const proc = await launchProcess(process.execPath, nodeTsArgs(join(ctx.root, 'bench/baselines/bare-node-proxy.ts'), [ctx.backendUrl]), {
      cwd: ctx.root,
      name: 'bare Node proxy',
      readyWhen: /^bare proxy listening on (\S+)/,
    });
    return {
      baseUrl: proc.ready[1]!,
      pathFor: backendPath,
      headers: {},
      expects: { inboundHeader: false, outboundHeader: false, keyRequired: false },
      stop: proc.stop,
    };
  },
};
