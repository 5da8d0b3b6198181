/**
 * What the validation policies (validate-content, -parameters, -headers, -status-code) share:
 * the three actions, Azure's error record `{ Name, Type, ValidationRule, Details, Action }`, and
 * what an error does (reference §3 "Validation", Microsoft's "Validation errors" table):
 * `detect` records it in `errors-variable-name` and the log and goes on; `prevent` records it,
 * then fails the policy with 400 (a request) or 502 (a response) and Azure's public message,
 * with `context.LastError` reason `Bad request` or `Response not allowed` and the details as
 * its message; `ignore` does nothing.
 */
import { JArray, JObject, JValue } from '../../expressions/runtime/json.js';
import { responseSideMessage } from '../../pipeline/buffered-body.js';
import { PolicyRuntimeError, type GatewayContext } from '../../pipeline/gateway-context.js';
import type { AttributeSpec } from '../../pipeline/policy-module.js';

export type ValidationAction = 'ignore' | 'prevent' | 'detect';

export const validationActions: readonly ValidationAction[] = ['ignore', 'prevent', 'detect'];

/** An action attribute: one of the three, policy expressions allowed (as Azure documents for most of them). */
export function actionAttribute(required: boolean, expression = true): AttributeSpec {
  return { type: 'enum', values: validationActions, required, expression };
}

/** `errors-variable-name`: a plain name, never an expression. */
export const errorsVariableAttribute: AttributeSpec = { type: 'string' };

/** Which message an error belongs to: the client's request, or the response on its way back. */
export type MessageSide = 'request' | 'response';

/** One validation error in Azure's shape, with the text the client sees when it prevents. */
export interface ValidationError {
  /** The content type, parameter, header or status code concerned ('' when none). */
  name: string;
  /** `RequestBody`, `ResponseBody`, `ApiSchema`, `QueryParameter`, `PathParameter`, `RequestHeader`, `ResponseHeader`, `StatusCode`. */
  type: string;
  /** `SizeLimit`, `Unspecified`, `MissingDefinition`, `IncorrectMessage`, `ValidationException`, `ValidationError`, or ''. */
  rule: string;
  /** What went wrong, for the operator (the variable, the log, LastError.Message). */
  details: string;
  /** What a request's client is told; a response-side error always answers Azure's internal-error text. */
  publicMessage?: string;
}

/** The errors one run of a validation policy found, and what it does with them. */
export class ValidationFindings {
  private readonly found: Array<ValidationError & { action: ValidationAction }> = [];

  constructor(
    private readonly policy: string,
    private readonly gw: GatewayContext,
    private readonly side: MessageSide,
    private readonly errorsVariable: string | undefined,
  ) {}

  /** Handles one error under `action`: ignored, recorded, or recorded and the policy failed. */
  report(error: ValidationError, action: ValidationAction): void {
    if (action === 'ignore') return;
    this.found.push({ ...error, action });
    this.gw.services.logger.warn(
      { requestId: this.gw.requestId, policy: this.policy, name: error.name, type: error.type, validationRule: error.rule, action, details: error.details },
      `${this.policy} ${action === 'prevent' ? 'prevented' : 'detected'} a validation error`,
    );
    if (action === 'prevent') {
      this.finish();
      const request = this.side === 'request';
      throw new PolicyRuntimeError(
        this.policy,
        request ? 'Bad request' : 'Response not allowed',
        error.details,
        request ? 400 : 502,
        request ? (error.publicMessage ?? responseSideMessage) : responseSideMessage,
      );
    }
  }

  /** Writes the errors to the variable (when named) and the trace; call once the checks are done. */
  finish(): void {
    if (this.errorsVariable !== undefined) this.gw.variables.set(this.errorsVariable, errorsAsJson(this.found));
    if (this.gw.requestTrace) {
      this.gw.traceStep(this.policy, {
        validated: this.side,
        errors: this.found.map((e) => ({ Name: e.name, Type: e.type, ValidationRule: e.rule, Details: e.details, Action: e.action })),
      });
    }
  }
}

/** The errors as a JArray of `{ Name, Type, ValidationRule, Details, Action }`, as expressions read them. */
function errorsAsJson(errors: ReadonlyArray<ValidationError & { action: ValidationAction }>): JArray {
  const list = new JArray();
  for (const e of errors) {
    const record = new JObject();
    record.set('Name', new JValue(e.name, 'String'));
    record.set('Type', new JValue(e.type, 'String'));
    record.set('ValidationRule', new JValue(e.rule, 'String'));
    record.set('Details', new JValue(e.details, 'String'));
    record.set('Action', new JValue(e.action, 'String'));
    list.push(record);
  }
  return list;
}

/** The side a policy checks in `section`: inbound checks the request, the others the response. */
export function sideOf(gw: GatewayContext): MessageSide {
  return gw.section === 'inbound' ? 'request' : 'response';
}
