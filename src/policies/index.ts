/** Every policy Gatehouse knows, listed explicitly (DESIGN.md "A policy is a small module"). */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { forwardRequest } from './forward-request.js';
import { includeFragment } from './include-fragment.js';

export const policyModules: readonly PolicyModule[] = [forwardRequest, includeFragment];

/** The registry by element name. */
export const policyRegistry: ReadonlyMap<string, PolicyModule> = new Map(policyModules.map((m) => [m.name, m]));
