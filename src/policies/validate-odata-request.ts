/**
 * `validate-odata-request`: checks a request to an OData API against the OData 4.0/4.01
 * specification before it goes on: the OData-Version and OData-MaxVersion headers against the
 * policy's version range, the `$` system query options, and the body's size. A request that
 * fails is refused with 400 and the first problem; every problem goes to `error-variable-name`
 * (odata/odata-request-check.ts).
 */
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import { BodyTooLargeError } from '../pipeline/message-body.js';
import { attribute } from '../pipeline/xml.js';
import { checkODataRequest, odataVersions, parseODataVersion, type ODataRules } from './odata/odata-request-check.js';

const attributes: Readonly<Record<string, AttributeSpec>> = {
  'error-variable-name': { type: 'string' },
  'default-odata-version': { type: 'string', default: '4.0' },
  'min-odata-version': { type: 'string' },
  'max-odata-version': { type: 'string' },
  'max-size': { type: 'integer', min: 0 },
};

/** The body's length: declared, or counted up to `maxSize` (a longer body is only known to be too long). */
async function bodySize(gw: GatewayContext, maxSize: number | undefined): Promise<{ bodyBytes: number | undefined; bodyOverLimit?: boolean }> {
  const declared = gw.request.headers.get('content-length');
  if (declared !== undefined && /^\d+$/.test(declared.trim())) return { bodyBytes: Number(declared.trim()) };
  if (maxSize === undefined || !gw.request.body.present) return { bodyBytes: undefined };
  try {
    return { bodyBytes: (await gw.request.body.read(true, maxSize)).length };
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { bodyBytes: undefined, bodyOverLimit: true };
    throw err;
  }
}

export const validateODataRequest: PolicyModule = {
  name: 'validate-odata-request',
  sections: ['inbound'],
  scopes: ['global', 'product', 'api'],
  oncePerSection: true,
  attributes,
  compile(element, ctx) {
    if (element.children.some((c) => c.kind === 'element' || c.text.trim() !== '')) ctx.fail(element, "The 'validate-odata-request' element takes no content.");
    const version = (name: string) => {
      const text = ctx.raw(element, name);
      if (text === undefined) return undefined;
      const parsed = parseODataVersion(text);
      if (!parsed) ctx.fail(attribute(element, name) ?? element, `'${text}' is not a supported OData version (${odataVersions.join(', ')}).`);
      return parsed;
    };
    const rules: ODataRules = { defaultVersion: version('default-odata-version')! };
    const min = version('min-odata-version');
    const max = version('max-odata-version');
    if (min) rules.minVersion = min;
    if (max) rules.maxVersion = max;
    if (min && max && odataVersions.indexOf(min) > odataVersions.indexOf(max)) ctx.fail(element, `min-odata-version ${min} is higher than max-odata-version ${max}.`);
    const maxSize = ctx.integer(element, 'max-size')?.constant;
    if (maxSize !== undefined) rules.maxSize = maxSize;
    const errorVariable = ctx.raw(element, 'error-variable-name');
    return async (gw) => {
      const problems = checkODataRequest(
        {
          version: gw.request.headers.get('odata-version'),
          maxVersion: gw.request.headers.get('odata-maxversion'),
          query: gw.request.originalUrl.query,
          ...(await bodySize(gw, rules.maxSize)),
        },
        rules,
      );
      if (errorVariable) gw.variables.set(errorVariable, problems);
      if (gw.requestTrace) gw.traceStep('validate-odata-request', { valid: problems.length === 0, problems: problems.map((p) => p.Details) });
      if (problems.length > 0) {
        const first = problems[0]!;
        throw new PolicyRuntimeError('validate-odata-request', 'ODataRequestInvalid', first.Details, 400, first.Details);
      }
    };
  },
};
