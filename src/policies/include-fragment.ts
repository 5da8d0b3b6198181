/** `include-fragment`: inlines a policy fragment's policies where it appears (reference §3). */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { attribute } from '../pipeline/xml.js';

export const includeFragment: PolicyModule = {
  name: 'include-fragment',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    'fragment-id': { type: 'string', required: true },
  },
  compile(element, ctx) {
    const id = ctx.string(element, 'fragment-id')!.constant!;
    const sequence = ctx.compileFragment(id, attribute(element, 'fragment-id') ?? element);
    return (gw) => sequence.run(gw);
  },
};
