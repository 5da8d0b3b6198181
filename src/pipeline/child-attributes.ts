/** Checks a nested element's attributes against its schema, as the compiler does for a policy's own. */
import type { AttributeSpec, PolicyCompileContext } from './policy-module.js';
import type { XmlElement } from './xml.js';

export interface ChildAttributeOptions {
  /**
   * Accept `id` and `xmlns…` as the compiler does on a policy element: for children that are
   * policies in their own right (send-request's `set-header`, `authentication-basic` …).
   */
  asPolicy?: boolean;
}

/** Fails on an undeclared attribute of `child` or a required one it lacks. */
export function checkChildAttributes(
  child: XmlElement,
  schema: Readonly<Record<string, AttributeSpec>>,
  ctx: PolicyCompileContext,
  options: ChildAttributeOptions = {},
): void {
  for (const attr of child.attributes) {
    if (attr.name in schema) continue;
    if (options.asPolicy && (attr.name === 'id' || attr.name.startsWith('xmlns'))) continue;
    ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.required && !child.attributes.some((a) => a.name === name)) ctx.fail(child, `The required attribute '${name}' is missing.`);
  }
}
