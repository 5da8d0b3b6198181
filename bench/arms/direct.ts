/** Arm `direct`: the load generator talks to the backend itself (the floor every proxy is measured against). */
import { backendPath } from '../harness/sizes.js';
import type { Arm } from '../harness/types.js';

export const directArm: Arm = {
  id: 'direct',
  label: 'direct to backend',
  description: 'No proxy: requests go straight to the fixed-size backend.',
  async start(ctx) {
    return {
      baseUrl: ctx.backendUrl,
      pathFor: backendPath,
      headers: {},
      expects: { inboundHeader: false, outboundHeader: false, keyRequired: false },
      async stop() {},
    };
  },
};
