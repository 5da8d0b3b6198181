/**
 * `emit-metric` (reference §3): adds `value` (default 1) to a custom metric named `name` in
 * `namespace` (default `API Management`) with up to 10 dimensions; a dimension without a value
 * must be one of Azure's default dimensions and takes the request's value for it. Emitted when a
 * diagnostic in force for the request has `metrics: true` (docs/policies/emit-metric.md).
 */
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import { computedValue, type Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';

/** Azure's default dimensions, which may be named without a value (lower-cased name → the request's value). */
const defaultDimensions: ReadonlyMap<string, (gw: GatewayContext) => string> = new Map([
  ['api id', (gw) => gw.routing.apiId],
  ['operation id', (gw) => gw.operation.name],
  ['product id', (gw) => gw.product?.name ?? ''],
  ['user id', (gw) => gw.user?.name ?? ''],
  ['subscription id', (gw) => gw.subscription?.name ?? ''],
  ['location', (gw) => (gw.catalog as { region?: string }).region ?? ''],
  ['gateway id', (gw) => gw.catalog.gatewayId],
]);

const maxDimensions = 10;

const dimensionAttributes: Readonly<Record<string, AttributeSpec>> = {
  name: { type: 'string', required: true, expression: true },
  value: { type: 'string', expression: true },
};

export const emitMetric: PolicyModule = {
  name: 'emit-metric',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    name: { type: 'string', required: true },
    namespace: { type: 'string', default: 'API Management' },
    value: { type: 'number', default: 1, expression: true },
  },
  compile(element, ctx) {
    const name = ctx.string(element, 'name')!.constant!;
    if (name.trim() === '') ctx.fail(element, "The 'name' attribute must not be empty.");
    const namespace = ctx.string(element, 'namespace')!.constant!;
    const value = ctx.number(element, 'value')!;
    const dimensions: Array<[Value<string>, Value<string>]> = [];
    for (const child of childElements(element)) {
      if (child.name !== 'dimension') ctx.fail(child, `The element '${child.name}' is not allowed in 'emit-metric'; expected 'dimension'.`);
      checkChildAttributes(child, dimensionAttributes, ctx);
      const dimensionName = ctx.string(child, 'name', dimensionAttributes.name)!;
      const dimensionValue = ctx.string(child, 'value', dimensionAttributes.value) ?? defaultDimension(dimensionName);
      if (!dimensionValue) return ctx.fail(child, `The dimension '${dimensionName.constant ?? child.attributes[0]!.value}' needs a value: only the default dimensions (${[...defaultDimensions.keys()].join(', ')}) may omit it.`);
      dimensions.push([dimensionName, dimensionValue]);
    }
    if (dimensions.length === 0) ctx.fail(element, "At least one 'dimension' element is required in 'emit-metric'.");
    if (dimensions.length > maxDimensions) ctx.fail(element, `At most ${maxDimensions} dimensions are allowed in 'emit-metric'.`);
    return (gw) => {
      const telemetry = gw.services.telemetry;
      if (!telemetry && !gw.requestTrace) return;
      const metric = { name, namespace, value: value.get(gw), dimensions: dimensions.map(([n, v]) => [n.get(gw), v.get(gw)] as [string, string]) };
      if (gw.requestTrace) gw.traceStep('emit-metric', { message: telemetry ? 'Metric was emitted.' : 'No diagnostic collects metrics; nothing was emitted.', ...metric, dimensions: Object.fromEntries(metric.dimensions) });
      telemetry?.emitMetric(gw, metric);
    };
  },
};

/** The request's value of a default dimension named by a constant, or undefined. */
function defaultDimension(name: Value<string>): Value<string> | undefined {
  const read = name.isConstant ? defaultDimensions.get(name.constant!.trim().toLowerCase()) : undefined;
  if (!read) return undefined;
  return computedValue(read);
}
