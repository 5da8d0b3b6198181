/**
 * `set-query-parameter`: sets, appends, keeps or deletes a query parameter of the backend-bound
 * URL (`context.Request.Url`). Same model as set-header (reference §3 "Transformation / routing");
 * `<value>` is required unless the action is `delete`.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import type { RequestUrl } from '../pipeline/request-url.js';
import type { Value } from '../pipeline/value.js';
import { compileValueChildren, existsActions, type ExistsAction } from './set-header.js';

const missingValue = "The 'value' element is required unless exists-action is 'delete'.";

/** Applies one exists-action to a URL's query. */
export function applyQueryAction(url: RequestUrl, name: string, action: ExistsAction, values: readonly string[]): void {
  const present = url.query.some(([k]) => k === name);
  switch (action) {
    case 'override':
      url.setQuery(name, values);
      return;
    case 'skip':
      if (!present) url.setQuery(name, values);
      return;
    case 'append':
      url.setQuery(name, [...url.queryValues(name), ...values]);
      return;
    case 'delete':
      url.deleteQuery(name);
      return;
  }
}

export const setQueryParameter: PolicyModule = {
  name: 'set-query-parameter',
  sections: ['inbound', 'backend'],
  attributes: {
    name: { type: 'string', required: true, expression: true },
    'exists-action': { type: 'enum', values: existsActions, default: 'override', expression: true },
  },
  compile(element, ctx) {
    const name = ctx.string(element, 'name')!;
    const action = ctx.string(element, 'exists-action') as Value<ExistsAction>;
    if (name.isConstant && name.constant === '') ctx.fail(element, 'The query parameter name must not be empty.');
    const values = compileValueChildren(element, ctx);
    if (values.length === 0 && action.isConstant && action.constant !== 'delete') ctx.fail(element, missingValue);
    return (gw) => {
      const paramName = name.get(gw);
      const act = action.get(gw);
      if (paramName === '') throw new Error('The query parameter name must not be empty.');
      // An exists-action given as an expression can only be checked once it is known.
      if (values.length === 0 && act !== 'delete') throw new Error(missingValue);
      const given = values.map((v) => v.get(gw));
      applyQueryAction(gw.request.url, paramName, act, given);
      if (gw.requestTrace) gw.traceStep('set-query-parameter', { message: 'Query parameter was changed.', parameter: { name: paramName, value: given.join(',') }, 'exists-action': act });
    };
  },
};
