/**
 * `wait`: runs its immediate children at the same time and completes when all of them did
 * (`for="all"`, the default) or when the first one did (`for="any"`; the others are terminated:
 * what they would still store is dropped, see concurrent-branches.ts). Azure allows
 * `send-request`, `cache-lookup-value` and `choose` as children (reference §3); each is compiled
 * as the registered policy, so a child policy that is not built yet gets the standard
 * "Unsupported policy" error. A failing child fails the wait.
 */
import { runBranch } from '../pipeline/concurrent-branches.js';
import type { CompiledSequence, PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';

const allowedChildren: ReadonlySet<string> = new Set(['send-request', 'cache-lookup-value', 'choose']);

export const wait: PolicyModule = {
  name: 'wait',
  sections: ['inbound', 'backend', 'outbound'],
  attributes: {
    for: { type: 'enum', values: ['all', 'any'], default: 'all', expression: true },
  },
  compile(element, ctx) {
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'wait'.");
    }
    const waitFor = ctx.string(element, 'for')!;
    const children = childElements(element);
    const counters = new Map<string, number>();
    const branches: CompiledSequence[] = children.map((child) => {
      if (!allowedChildren.has(child.name)) {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'wait'; expected send-request, cache-lookup-value or choose.`);
      }
      const index = (counters.get(child.name) ?? 0) + 1;
      counters.set(child.name, index);
      // One sequence per child, each with its own path (`wait[1]/send-request[2]`).
      return ctx.compileChildren([child], ctx.path, { firstIndex: index });
    });
    return async (gw) => {
      if (branches.length === 0) return;
      const running = branches.map((branch) => runBranch(() => branch.run(gw)));
      const all = waitFor.get(gw) === 'all';
      try {
        await (all ? Promise.all(running.map((r) => r.done)) : Promise.race(running.map((r) => r.done)));
      } finally {
        // Once the wait is over (all done, the first done, or one failed) nothing else may change the request.
        for (const r of running) r.cancel();
        // The terminated branches' late failures are nobody's to handle.
        for (const r of running) r.done.catch(() => undefined);
      }
      if (gw.requestTrace) gw.traceStep('wait', { message: all ? 'All branches completed.' : 'The first branch completed; the others were ended.', branches: branches.length });
    };
  },
};
