/**
 * `validate-content`: checks the size and the content of a request body (inbound) or a response
 * body (outbound, on-error) against the API schema (reference §3 "Validation", Microsoft's
 * validate-content page). The body's content type is mapped by `content-type-map`, refused or
 * recorded when the operation does not declare it (`unspecified-content-type-action`), its
 * size compared with `max-size` (Content-Length when sent, else the body), and the body of a
 * `content` element's type checked as JSON (Ajv, schemas/json-schema-check.ts), XML or SOAP
 * (xml-body-check.ts). Errors go through ValidationFindings: Azure's 400/502 on `prevent`.
 */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';
import { jsonBodyCheck } from './validation/json-schema-check.js';
import { mediaType, representationsOf, resolveSchema, type ExplicitSchema } from './validation/operation-schemas.js';
import { actionAttribute, errorsVariableAttribute, sideOf, ValidationFindings, type MessageSide, type ValidationAction } from './validation/validation-findings.js';
import { checkXmlBody, soapVersionOf } from './validation/xml-body-check.js';

/** Azure's limit on max-size (4 MB since 2023; 100 KB before). */
const maxSizeLimit = 4 * 1024 * 1024;

const typeMapAttributes: Record<string, AttributeSpec> = {
  'any-content-type-value': { type: 'string' },
  'missing-content-type-value': { type: 'string' },
};
const typeAttributes: Record<string, AttributeSpec> = {
  from: { type: 'string' },
  when: { type: 'boolean', expression: true },
  to: { type: 'string', required: true },
};
const contentAttributes: Record<string, AttributeSpec> = {
  type: { type: 'string' },
  'validate-as': { type: 'enum', values: ['json', 'xml', 'soap'], required: true },
  'schema-id': { type: 'string' },
  'schema-ref': { type: 'string' },
  action: actionAttribute(true),
  'allow-additional-properties': { type: 'boolean' },
  'case-insensitive-property-names': { type: 'boolean', default: false },
};

interface TypeMapping {
  from?: string;
  when?: Value<boolean>;
  to: string;
}

interface ContentRule {
  /** Lower-case media type; undefined applies to every type the API schema declares. */
  type?: string;
  validateAs: 'json' | 'xml' | 'soap';
  explicit?: ExplicitSchema;
  action: Value<string>;
  additionalProperties?: boolean;
  caseInsensitive: boolean;
}

export const validateContent: PolicyModule = {
  name: 'validate-content',
  sections: ['inbound', 'outbound', 'on-error'],
  attributes: {
    'unspecified-content-type-action': actionAttribute(true),
    'max-size': { type: 'integer', required: true, min: 0, max: maxSizeLimit, expression: true },
    'size-exceeded-action': actionAttribute(true),
    'errors-variable-name': errorsVariableAttribute,
  },
  compile(element, ctx) {
    const unspecifiedAction = ctx.string(element, 'unspecified-content-type-action')!;
    const maxSize = ctx.integer(element, 'max-size')!;
    const sizeAction = ctx.string(element, 'size-exceeded-action')!;
    const errorsVariable = ctx.string(element, 'errors-variable-name')?.constant;
    let anyType: string | undefined;
    let missingType: string | undefined;
    const mappings: TypeMapping[] = [];
    const rules: ContentRule[] = [];
    let sawMap = false;
    for (const child of childElements(element)) {
      if (child.name === 'content-type-map') {
        if (sawMap) ctx.fail(child, "The 'content-type-map' element may appear only once.");
        sawMap = true;
        checkChildAttributes(child, typeMapAttributes, ctx);
        anyType = ctx.string(child, 'any-content-type-value', typeMapAttributes['any-content-type-value'])?.constant;
        missingType = ctx.string(child, 'missing-content-type-value', typeMapAttributes['missing-content-type-value'])?.constant;
        for (const type of childElements(child)) {
          if (type.name !== 'type') ctx.fail(type, `The element '${type.name}' is not allowed in 'content-type-map'; expected 'type'.`);
          checkChildAttributes(type, typeAttributes, ctx);
          const from = ctx.string(type, 'from', typeAttributes.from)?.constant;
          const when = ctx.boolean(type, 'when', typeAttributes.when);
          if ((from === undefined) === (when === undefined)) ctx.fail(type, "The 'type' element needs exactly one of the 'from' and 'when' attributes.");
          mappings.push({ from: from?.toLowerCase(), when, to: ctx.string(type, 'to', typeAttributes.to)!.constant!.toLowerCase() });
        }
      } else if (child.name === 'content') {
        checkChildAttributes(child, contentAttributes, ctx);
        const validateAs = ctx.string(child, 'validate-as', contentAttributes['validate-as'])!.constant as ContentRule['validateAs'];
        const schemaId = ctx.string(child, 'schema-id', contentAttributes['schema-id'])?.constant;
        const schemaRef = ctx.string(child, 'schema-ref', contentAttributes['schema-ref'])?.constant;
        if (schemaRef !== undefined && schemaId === undefined) ctx.fail(child, "The 'schema-ref' attribute needs a 'schema-id'.");
        if (schemaRef !== undefined && !schemaRef.startsWith('#/')) ctx.fail(child, `The 'schema-ref' attribute must be a local reference such as '#/components/schemas/address', found '${schemaRef}'.`);
        if (schemaRef !== undefined && validateAs !== 'json') ctx.fail(child, "The 'schema-ref' attribute applies only to JSON schemas.");
        const type = ctx.string(child, 'type', contentAttributes.type)?.constant;
        rules.push({
          type: type === undefined || type.trim() === '' ? undefined : mediaType(type),
          validateAs,
          explicit: schemaId === undefined ? undefined : { schemaId, schemaRef },
          action: ctx.string(child, 'action', contentAttributes.action)!,
          additionalProperties: ctx.boolean(child, 'allow-additional-properties', contentAttributes['allow-additional-properties'])?.constant,
          caseInsensitive: ctx.boolean(child, 'case-insensitive-property-names', contentAttributes['case-insensitive-property-names'])?.constant ?? false,
        });
      } else {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-content'; expected 'content-type-map' or 'content'.`);
      }
    }

    const effectiveType = (gw: GatewayContext, incoming: string): string => {
      for (const m of mappings) {
        if (m.from !== undefined ? m.from === incoming : m.when!.get(gw)) return m.to;
      }
      if (anyType !== undefined) return mediaType(anyType);
      if (incoming === '' && missingType !== undefined) return mediaType(missingType);
      return incoming;
    };

    return async (gw) => {
      const side: MessageSide = sideOf(gw);
      const message = side === 'request' ? gw.request : gw.response;
      const findings = new ValidationFindings('validate-content', gw, side, errorsVariable);
      const bodyType = side === 'request' ? 'RequestBody' : 'ResponseBody';
      const Side = side === 'request' ? 'Request' : 'Response';

      // Size: the Content-Length when sent, otherwise the body itself (read only when needed).
      const limit = maxSize.get(gw);
      const declaredLength = Number(message.headers.get('content-length'));
      let size = Number.isFinite(declaredLength) && message.headers.has('content-length') ? declaredLength : undefined;
      if (size === undefined) {
        await bufferWithinLimit(gw, message.body, side, 'validate-content');
        size = message.body.bufferedContent?.length ?? 0;
      }
      const tooLarge = size > limit;
      if (tooLarge) {
        findings.report(
          {
            name: '',
            type: bodyType,
            rule: 'SizeLimit',
            details: `${Side}'s body is ${size} bytes long and it exceeds the configured limit of ${limit} bytes.`,
            publicMessage: `${Side}'s body is ${size} bytes long and it exceeds the limit of ${limit} bytes.`,
          },
          action(sizeAction, gw),
        );
      }

      const incoming = mediaType(message.headers.get('content-type'));
      const contentType = effectiveType(gw, incoming);
      const representations = representationsOf(gw.operation, side, gw.response.statusCode);
      const representation = representations.find((r) => mediaType(r.contentType) === contentType);
      const rule = rules.find((r) => (r.type === undefined ? representation !== undefined : r.type === contentType));
      const hasBody = size > 0 || message.body.present;
      if (!representation && !rule?.explicit && (hasBody || contentType !== '')) {
        const text = `Unspecified content type ${contentType} is not allowed.`;
        findings.report({ name: contentType, type: bodyType, rule: 'Unspecified', details: text, publicMessage: text }, action(unspecifiedAction, gw));
      }

      const ruleAction = rule ? action(rule.action, gw) : 'ignore';
      // A body past max-size is not read: its content is not checked.
      if (rule && ruleAction !== 'ignore' && !tooLarge && hasBody) {
        const fallbackName = `${gw.operation.name}${Side}`;
        const schema = resolveSchema(gw.api, representation, rule.explicit, fallbackName);
        const apiSchemaError = (details: string) => findings.report({ name: '', type: 'ApiSchema', rule: '', details }, ruleAction);
        if (schema.kind === 'missing-schema') apiSchemaError("API's schema does not exist or it could not be resolved.");
        else if (schema.kind === 'missing-definition') {
          findings.report(
            { name: contentType, type: bodyType, rule: 'MissingDefinition', details: `API's schema does not contain definition ${schema.definition}, which is associated with the content type ${contentType}.` },
            ruleAction,
          );
        } else if (schema.kind !== 'none' || rule.validateAs !== 'json') {
          await bufferWithinLimit(gw, message.body, side, 'validate-content');
          const text = (message.body.bufferedContent ?? Buffer.alloc(0)).toString('utf8');
          const definition = schema.kind === 'none' ? contentType : schema.definition;
          let problem: { message: string; line: number; position: number } | undefined;
          try {
            if (rule.validateAs === 'json') {
              if (schema.kind === 'json') problem = jsonBodyCheck(schema.source, { additionalProperties: rule.additionalProperties, caseInsensitivePropertyNames: rule.caseInsensitive })(text);
            } else {
              const declared = schema.kind === 'xml' ? schema.declared : undefined;
              problem = checkXmlBody(text, rule.validateAs === 'soap' ? soapVersionOf(contentType) : undefined, declared);
            }
          } catch (err) {
            findings.report(
              { name: '', type: bodyType, rule: 'ValidationException', details: `Body of the ${side} cannot be validated for the content type ${contentType}.\n\n${(err as Error).message}` },
              ruleAction,
            );
          }
          if (problem) {
            const text2 = `Body of the ${side} does not conform to the definition ${definition}, which is associated with the content type ${contentType}.\n\n${problem.message} Line: ${problem.line}, Position: ${problem.position}`;
            findings.report({ name: contentType, type: bodyType, rule: 'IncorrectMessage', details: text2, publicMessage: text2 }, ruleAction);
          }
        }
      }
      findings.finish();
    };
  },
};

/** An action attribute's value for this request (an expression may compute it). */
function action(value: Value<string>, gw: GatewayContext): ValidationAction {
  return value.get(gw) as ValidationAction;
}
