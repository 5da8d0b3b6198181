/**
 * `choose`: runs the policies of the first `<when>` whose condition is true, else those of the
 * optional `<otherwise>` (reference §3). Conditions are read through `ctx.boolean`, so literal
 * `true`/`false` work today and expressions once the expression language is in place.
 */
import type { AttributeSpec, CompiledSequence, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';

const conditionSpec: AttributeSpec = { type: 'boolean', required: true, expression: true };

interface Branch {
  condition: Value<boolean>;
  policies: CompiledSequence;
}

export const choose: PolicyModule = {
  name: 'choose',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {},
  compile(element, ctx) {
    rejectText(element, ctx.fail);
    const branches: Branch[] = [];
    let otherwise: CompiledSequence | undefined;
    let whenIndex = 0;
    for (const child of childElements(element)) {
      if (child.name === 'when') {
        if (otherwise) ctx.fail(child, "The 'when' element must come before 'otherwise'.");
        onlyAttributes(child, ['condition'], ctx.fail);
        if (!child.attributes.some((a) => a.name === 'condition')) {
          ctx.fail(child, "The required attribute 'condition' is missing.");
        }
        whenIndex += 1;
        const condition = ctx.boolean(child, 'condition', conditionSpec)!;
        rejectText(child, ctx.fail);
        branches.push({ condition, policies: ctx.compileChildren(childElements(child), `${ctx.path}/when[${whenIndex}]`) });
      } else if (child.name === 'otherwise') {
        if (otherwise) ctx.fail(child, "The 'otherwise' element may appear only once.");
        if (branches.length === 0) ctx.fail(child, "The 'when' element must come before 'otherwise'.");
        onlyAttributes(child, [], ctx.fail);
        rejectText(child, ctx.fail);
        // `otherwise` is unique, so its path segment carries no index (as in Azure's example).
        otherwise = ctx.compileChildren(childElements(child), `${ctx.path}/otherwise`);
      } else {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'choose'; expected 'when' or 'otherwise'.`);
      }
    }
    if (branches.length === 0) ctx.fail(element, "The 'choose' element must contain at least one 'when' element.");
    return async (gw) => {
      for (const [i, branch] of branches.entries()) {
        if (branch.condition.get(gw)) {
          if (gw.requestTrace) gw.traceStep('choose', { message: `Condition of 'when' ${i + 1} evaluated to true; its policies run.`, branch: `when[${i + 1}]` });
          await branch.policies.run(gw);
          return;
        }
      }
      if (gw.requestTrace) gw.traceStep('choose', { message: otherwise ? "No 'when' condition was true; 'otherwise' runs." : "No 'when' condition was true and there is no 'otherwise'.", branch: otherwise ? 'otherwise' : null });
      if (otherwise) await otherwise.run(gw);
    };
  },
};

type Fail = (at: XmlElement, reason: string) => never;

function onlyAttributes(element: XmlElement, allowed: readonly string[], fail: Fail): void {
  for (const attr of element.attributes) {
    if (attr.name === 'id' || attr.name.startsWith('xmlns') || allowed.includes(attr.name)) continue;
    fail(element, `The '${attr.name}' attribute is not declared.`);
  }
}

function rejectText(element: XmlElement, fail: Fail): void {
  for (const child of element.children) {
    if (child.kind === 'text' && child.text.trim() !== '') fail(element, `Unexpected text content in '${element.name}'.`);
  }
}
