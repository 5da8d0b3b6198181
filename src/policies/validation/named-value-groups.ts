/**
 * The shared shape of validate-parameters' `headers`/`query`/`path` elements and validate-headers'
 * own element: actions for names the API schema declares and for names it does not, with
 * per-name overrides (`<parameter name action>` or `<header name action>`), and the run that
 * checks every name a message carries.
 */
import { checkChildAttributes } from '../../pipeline/child-attributes.js';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext } from '../../pipeline/policy-module.js';
import type { Value } from '../../pipeline/value.js';
import { childElements, type XmlElement } from '../../pipeline/xml.js';
import type { TemplateParameter } from '../../model/resources.js';
import { checkParameterValues, findDefinition, NamedOverrides, unspecifiedParameter, type ParameterKind } from './parameter-checks.js';
import { actionAttribute, type ValidationAction, type ValidationFindings } from './validation-findings.js';

/** The actions that apply to one group of names; an undefined one falls back to the parent's. */
export interface NameGroupActions {
  specified?: Value<string>;
  unspecified?: Value<string>;
  overrides: NamedOverrides<Value<string>>;
}

/** Reads the per-name override children of `element` (all named `childName`). */
export function readOverrides(element: XmlElement, childName: string, caseless: boolean, ctx: PolicyCompileContext): NamedOverrides<Value<string>> {
  const schema: Record<string, AttributeSpec> = { name: { type: 'string', required: true }, action: actionAttribute(true) };
  const overrides = new NamedOverrides<Value<string>>(caseless);
  for (const child of childElements(element)) {
    if (child.name !== childName) ctx.fail(child, `The element '${child.name}' is not allowed in '${element.name}'; expected '${childName}'.`);
    checkChildAttributes(child, schema, ctx);
    const name = ctx.string(child, 'name', schema.name)!.constant!;
    if (name.trim() === '') ctx.fail(child, `The '${childName}' element must name a ${childName === 'header' ? 'header' : 'parameter'}.`);
    overrides.set(name, ctx.string(child, 'action', schema.action)!);
  }
  return overrides;
}

/** What one group checks: its kind, the declared definitions and the names the message carries. */
export interface NameGroupInput {
  kind: ParameterKind;
  definitions: readonly TemplateParameter[] | undefined;
  present: Iterable<[string, string[]]>;
  caseless: boolean;
}

/** Checks every present name of a group, reporting each problem under the action that applies. */
export function checkNameGroup(gw: GatewayContext, findings: ValidationFindings, input: NameGroupInput, group: NameGroupActions, parent: { specified: Value<string>; unspecified: Value<string> }): void {
  for (const [name, values] of input.present) {
    const definition = findDefinition(input.definitions, name, input.caseless);
    const override = group.overrides.get(name);
    if (definition) {
      const action = (override ?? group.specified ?? parent.specified).get(gw) as ValidationAction;
      if (action === 'ignore') continue;
      const error = checkParameterValues(input.kind, name, values, definition);
      if (error) findings.report(error, action);
    } else {
      const action = (override ?? group.unspecified ?? parent.unspecified).get(gw) as ValidationAction;
      findings.report(unspecifiedParameter(input.kind, name), action);
    }
  }
}

/** Query pairs grouped by name, in first-seen order. */
export function groupPairs(pairs: ReadonlyArray<readonly [string, string]>): Array<[string, string[]]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const list = byName.get(name);
    if (list) list.push(value);
    else byName.set(name, [value]);
  }
  return [...byName];
}
