/**
 * Save-time policy validation (reference §2.5, DESIGN.md "A policy is a small module"): a
 * policy document or fragment is compiled with the real gateway compiler against what the
 * store holds in the same transaction (named values, fragments, backends, certificates). A refusal is
 * Azure's ValidationError with the element, line and column.
 */
import type { EntityTransaction } from '../../core/entity-store.js';
import type { Backend, Certificate, Operation } from '../../model/resources.js';
import { certificateOf } from '../store-config/service-config-from-entities.js';
import { compilePolicyDocument } from '../../pipeline/compile-document.js';
import type { CompileEnvironment, LoggerSummary } from '../../pipeline/compile-environment.js';
import type { Scope, Section } from '../../pipeline/gateway-context.js';
import { PolicyCompileError } from '../../pipeline/policy-module.js';
import { parseXml, XmlSyntaxError, type XmlElement } from '../../pipeline/xml.js';
import { policyRegistry } from '../../policies/index.js';
import { ArmError, validationError } from './arm-error.js';
import { lastSegment } from './arm-ids.js';
import type { SecretSealer } from './secret-sealer.js';

/** Builds the compile environment from the entities in the store (secrets opened). */
export async function compileEnvironment(tx: EntityTransaction, sealer: SecretSealer): Promise<CompileEnvironment> {
  const namedValues = new Map<string, string>();
  for (const nv of (await tx.list({ kind: 'namedValue' })).items) {
    const body = nv.body;
    const raw = typeof body.value === 'string' ? body.value : '';
    const value = body.secret === true && raw !== '' ? sealer.open(raw) : raw;
    namedValues.set(lastSegment(nv.id), value);
    if (typeof body.displayName === 'string') namedValues.set(body.displayName, value);
  }
  const fragments = new Map<string, XmlElement>();
  for (const fragment of (await tx.list({ kind: 'policyFragment' })).items) {
    try {
      const root = parseXml(String(fragment.body.value ?? ''));
      if (root.name === 'fragment') fragments.set(lastSegment(fragment.id), root);
    } catch {
      // A stored fragment always parsed when it was saved; skip rather than fail unrelated saves.
    }
  }
  const backends = new Map<string, Backend>();
  for (const backend of (await tx.list({ kind: 'backend' })).items) {
    backends.set(lastSegment(backend.id), backendModel(lastSegment(backend.id), backend.body));
  }
  const loggers = new Map<string, LoggerSummary>();
  for (const logger of (await tx.list({ kind: 'logger' })).items) {
    const name = lastSegment(logger.id);
    loggers.set(name.toLowerCase(), { name, type: String(logger.body.loggerType ?? '') });
  }
  const certificates: Certificate[] = [];
  for (const certificate of (await tx.list({ kind: 'certificate' })).items) {
    try {
      certificates.push(certificateOf(certificate, sealer));
    } catch {
      // A Key Vault certificate never read yet has nothing to present: policies cannot name it.
    }
  }
  return { policies: policyRegistry, namedValues, fragments, backends, loggers, certificates };
}

/** The model view of a stored backend (what set-backend-service checks at compile time). */
export function backendModel(name: string, body: Record<string, unknown>): Backend {
  const pool = body.pool as { services?: Array<{ id: string; priority?: number; weight?: number }> } | undefined;
  return {
    name,
    url: typeof body.url === 'string' ? body.url : undefined,
    protocol: body.protocol === 'soap' ? 'soap' : 'http',
    type: body.type === 'Pool' ? 'Pool' : 'Single',
    pool: pool?.services ? { services: pool.services } : undefined,
    credentials: body.credentials as Backend['credentials'],
  };
}

/** The model view of a stored operation, for operation-scope compiles. */
export function operationModel(name: string, body: Record<string, unknown>): Operation {
  return {
    name,
    displayName: String(body.displayName ?? name),
    method: String(body.method ?? 'GET'),
    urlTemplate: String(body.urlTemplate ?? '/'),
    templateParameters: body.templateParameters as Operation['templateParameters'],
    request: body.request as Operation['request'],
    responses: body.responses as Operation['responses'],
  };
}

/** Compiles a policy document at a scope; throws ArmError 400 in Azure's save-time shape. */
export function checkPolicyDocument(xml: string, scope: Scope, env: CompileEnvironment, source: string, operation?: Operation): void {
  try {
    compilePolicyDocument({ xml, source }, scope, env, operation);
  } catch (err) {
    throw policyError(err);
  }
}

/** Checks a fragment: its root is `<fragment>` and its policies compile in some section. */
export function checkPolicyFragment(xml: string, env: CompileEnvironment, name: string): void {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    throw policyError(err);
  }
  if (root.name !== 'fragment') {
    throw policyError(new PolicyCompileError(root.name, root.line, root.column, `A policy fragment's root element must be 'fragment', found '${root.name}'.`));
  }
  // A fragment is compiled where it is included; it is valid when it compiles in at least one
  // section, and the first section's error is reported otherwise.
  const withSelf = new Map(env.fragments).set(name, root);
  const fragmentEnv: CompileEnvironment = { ...env, fragments: withSelf };
  let first: unknown;
  for (const section of ['inbound', 'outbound', 'backend', 'on-error'] as Section[]) {
    const xmlDoc = `<policies><${section}><include-fragment fragment-id="${name}" /></${section}></policies>`;
    try {
      compilePolicyDocument({ xml: xmlDoc, source: `policyFragments/${name}` }, 'global', fragmentEnv);
      return;
    } catch (err) {
      first ??= err;
    }
  }
  throw policyError(first);
}

/** Maps a compile failure to Azure's ValidationError (reference §2.5). */
export function policyError(err: unknown): ArmError {
  if (err instanceof XmlSyntaxError) {
    return validationError([{ code: 'ValidationError', target: 'representation', message: err.message }]);
  }
  if (err instanceof PolicyCompileError) {
    if (err.element === 'representation') {
      return validationError([{ code: 'ValidationError', target: 'representation', message: err.reason }]);
    }
    return validationError([{ code: 'ValidationError', target: err.element, message: err.message }]);
  }
  if (err instanceof ArmError) return err;
  return validationError([{ code: 'ValidationError', target: 'value', message: (err as Error).message }]);
}
