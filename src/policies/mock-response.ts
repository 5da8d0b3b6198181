/**
 * `mock-response`: answers with a sample of the operation's declared response instead of
 * calling the backend (reference §3): the response for `status-code`, the representation for
 * `content-type` (or the first one), its first example, else a sample synthesised from the
 * representation's JSON schema, else an empty body. Cancels the rest of the pipeline.
 */
import { STATUS_CODES } from 'node:http';
import type { Operation, Representation } from '../model/resources.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import type { PolicyModule } from '../pipeline/policy-module.js';

interface MockAnswer {
  contentType: string | undefined;
  body: string;
}

export const mockResponse: PolicyModule = {
  name: 'mock-response',
  sections: ['inbound', 'outbound', 'on-error'],
  attributes: {
    'status-code': { type: 'integer', default: 200, min: 100, max: 599 },
    'content-type': { type: 'string' },
  },
  compile(element, ctx) {
    const statusCode = ctx.integer(element, 'status-code')!.constant!;
    const contentType = ctx.string(element, 'content-type')?.constant;
    if (contentType !== undefined && contentType.trim() === '') ctx.fail(element, "The 'content-type' attribute must not be empty.");
    // The operation is only known per request at global/product/API scope; the answer depends on
    // nothing else, so it is worked out once per operation and reused.
    const answers = new WeakMap<Operation, MockAnswer>();
    return (gw) => {
      let answer = answers.get(gw.operation);
      if (!answer) {
        answer = mockAnswer(gw.operation, statusCode, contentType);
        answers.set(gw.operation, answer);
      }
      gw.response.body.discard();
      const headers = new HeaderMap();
      if (answer.contentType !== undefined) headers.set('Content-Type', answer.contentType);
      gw.response = {
        statusCode,
        statusReason: STATUS_CODES[statusCode] ?? '',
        headers,
        body: answer.body === '' ? MessageBody.empty() : new MessageBody(answer.body),
      };
      gw.responded = true;
      if (gw.requestTrace) gw.traceStep('mock-response', { message: 'Mocked response was returned.', status: statusCode, contentType: answer.contentType ?? null });
    };
  },
};

/** Picks the representation and builds the body for one operation. */
function mockAnswer(operation: Operation, statusCode: number, contentType: string | undefined): MockAnswer {
  const response = operation.responses?.find((r) => Number(r.statusCode) === statusCode);
  const representations = response?.representations ?? [];
  const representation =
    contentType === undefined ? representations[0] : representations.find((r) => sameMediaType(r.contentType, contentType));
  const header = contentType ?? representation?.contentType;
  if (!representation) return { contentType: header, body: '' };
  return { contentType: header, body: representationBody(representation) };
}

function sameMediaType(a: string, b: string): boolean {
  const media = (t: string) => t.split(';')[0]!.trim().toLowerCase();
  return media(a) === media(b);
}

function representationBody(representation: Representation): string {
  const examples = Object.values(representation.examples ?? {});
  const first = examples.find((e) => e !== null && typeof e === 'object' && 'value' in e && e.value !== undefined);
  if (first) return typeof first.value === 'string' ? first.value : JSON.stringify(first.value);
  // A synthesised sample is JSON; other media types without an example get an empty body.
  if (representation.schema !== undefined && /json/i.test(representation.contentType)) {
    return JSON.stringify(schemaSample(representation.schema, 0));
  }
  return '';
}

type Schema = Record<string, unknown>;

/** A sample value for a JSON schema: its example or default, else a typed placeholder. */
function schemaSample(schema: unknown, depth: number): unknown {
  // Deeply nested or self-referencing schemas stop here rather than recursing forever.
  if (depth > 12 || schema === null || typeof schema !== 'object') return null;
  const s = schema as Schema;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const parts = s.allOf.map((part) => schemaSample(part, depth + 1));
    if (parts.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) return Object.assign({}, ...parts);
    return parts[0];
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) return schemaSample(options[0], depth + 1);
  }
  switch (schemaType(s)) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [schemaSample(s.items ?? {}, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      for (const [name, property] of Object.entries(properties)) out[name] = schemaSample(property, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

function schemaType(s: Schema): string | undefined {
  const type = s.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null') ?? 'null';
  if (s.properties !== undefined) return 'object';
  if (s.items !== undefined) return 'array';
  return undefined;
}
