/**
 * `env:NAME` secret references for self-hosting: the value of an environment variable of the
 * process that resolves it (the management plane). Gatehouse's own settings (GATEHOUSE_*: the
 * admin token, the encryption key, the store's password) cannot be named, so the management API
 * never hands them out through `listValue`, and only the variables the operator allowed are read
 * (secret-allow-list.ts).
 */
import { SecretResolutionError } from '../core/secret-provider.js';
import { checkVariableAllowed, type SecretAllowList } from './secret-allow-list.js';

/** The variable's value; throws SecretResolutionError when it is not allowed, unset or one of Gatehouse's own. */
export function readEnvironmentSecret(variable: string, env: NodeJS.ProcessEnv, allowed: SecretAllowList): string {
  if (variable.toUpperCase().startsWith('GATEHOUSE_')) {
    throw new SecretResolutionError('Forbidden', `The environment variable '${variable}' is one of Gatehouse's own settings and cannot be a named value.`);
  }
  checkVariableAllowed(variable, allowed);
  const value = env[variable];
  if (value === undefined) throw new SecretResolutionError('SecretNotFound', `The environment variable '${variable}' is not set.`);
  return value;
}
