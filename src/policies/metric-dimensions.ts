/**
 * The `<dimension name value/>` children of the metric policies (emit-metric and the token
 * metric policies of the AI gateway): checked at save time, with Azure's default dimensions,
 * which may be named without a value and then take the request's value for it.
 */
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext } from '../pipeline/policy-module.js';
import { computedValue, type Value } from '../pipeline/value.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';

/** A default dimension: lower-cased name → the request's value. */
export type DefaultDimensions = ReadonlyMap<string, (gw: GatewayContext) => string>;

/** emit-metric's default dimensions (reference §3). */
export const metricDefaultDimensions: DefaultDimensions = new Map([
  ['api id', (gw) => gw.routing.apiId],
  ['operation id', (gw) => gw.operation.name],
  ['product id', (gw) => gw.product?.name ?? ''],
  ['user id', (gw) => gw.user?.name ?? ''],
  ['subscription id', (gw) => gw.subscription?.name ?? ''],
  ['location', (gw) => (gw.catalog as { region?: string }).region ?? ''],
  ['gateway id', (gw) => gw.catalog.gatewayId],
]);

/** The token metric policies' default dimensions: emit-metric's and `Backend ID`. */
export const tokenMetricDefaultDimensions: DefaultDimensions = new Map([
  ...metricDefaultDimensions,
  ['backend id', (gw: GatewayContext) => gw.backendId ?? ''],
]);

/** A compiled dimension: its name and value. */
export type MetricDimension = [Value<string>, Value<string>];

const dimensionAttributes: Readonly<Record<string, AttributeSpec>> = {
  name: { type: 'string', required: true, expression: true },
  value: { type: 'string', expression: true },
};

/** Compiles the dimension children of `element` (only `dimension` allowed; 1 to `max` of them). */
export function compileDimensions(element: XmlElement, ctx: PolicyCompileContext, defaults: DefaultDimensions, max: number): MetricDimension[] {
  const dimensions: MetricDimension[] = [];
  for (const child of childElements(element)) {
    if (child.name !== 'dimension') ctx.fail(child, `The element '${child.name}' is not allowed in '${element.name}'; expected 'dimension'.`);
    checkChildAttributes(child, dimensionAttributes, ctx);
    const dimensionName = ctx.string(child, 'name', dimensionAttributes.name)!;
    const dimensionValue = ctx.string(child, 'value', dimensionAttributes.value) ?? defaultDimension(dimensionName, defaults);
    if (!dimensionValue) return ctx.fail(child, `The dimension '${dimensionName.constant ?? child.attributes[0]!.value}' needs a value: only the default dimensions (${[...defaults.keys()].join(', ')}) may omit it.`);
    dimensions.push([dimensionName, dimensionValue]);
  }
  if (dimensions.length === 0) ctx.fail(element, `At least one 'dimension' element is required in '${element.name}'.`);
  if (dimensions.length > max) ctx.fail(element, `At most ${max} dimensions are allowed in '${element.name}'.`);
  return dimensions;
}

/** The request's values of compiled dimensions. */
export function dimensionValues(dimensions: readonly MetricDimension[], gw: GatewayContext): Array<[string, string]> {
  return dimensions.map(([n, v]) => [n.get(gw), v.get(gw)]);
}

/** The request's value of a default dimension named by a constant, or undefined. */
function defaultDimension(name: Value<string>, defaults: DefaultDimensions): Value<string> | undefined {
  const read = name.isConstant ? defaults.get(name.constant!.trim().toLowerCase()) : undefined;
  if (!read) return undefined;
  return computedValue(read);
}
