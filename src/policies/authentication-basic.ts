/**
 * `authentication-basic`: authenticates to the backend with HTTP Basic credentials by setting the
 * backend request's `Authorization` header, replacing whatever the caller sent (reference §3,
 * Access / auth).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';

export const authenticationBasic: PolicyModule = {
  name: 'authentication-basic',
  sections: ['inbound'],
  attributes: {
    username: { type: 'string', required: true, expression: true },
    password: { type: 'string', required: true, expression: true },
  },
  compile(element, ctx) {
    const username = ctx.string(element, 'username')!;
    const password = ctx.string(element, 'password')!;
    // RFC 7617: a user-id containing ':' cannot be represented; Azure accepts it as-is, so do we.
    const encode = (user: string, pass: string): string => 'Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
    const constant = username.isConstant && password.isConstant ? encode(username.constant!, password.constant!) : undefined;
    return (gw) => {
      const user = username.isConstant ? username.constant! : username.get(gw);
      gw.request.headers.set('Authorization', constant ?? encode(user, password.get(gw)));
      // The password never goes into the trace, and the Authorization header is masked by name.
      if (gw.requestTrace) gw.traceStep('authentication-basic', { message: 'Basic credentials were set on the backend request.', username: user });
    };
  },
};
