/**
 * Request tracing's management actions (Azure's Gateway_ListDebugCredentials,
 * Gateway_InvalidateDebugCredentials and Gateway_ListTrace, api-version 2023-05-01-preview and
 * later): `POST …/gateways/{gatewayId}/listDebugCredentials|invalidateDebugCredentials|listTrace`,
 * where `gatewayId` is `managed` (the built-in gateway) or a self-hosted gateway's id.
 * The service's debug key lives sealed in the store (entity `debugCredentials/settings`, served
 * to the gateway with the configuration) with, per gateway, when its credentials were last
 * invalidated; a token is signed with it (src/core/debug-token.ts).
 */
import type { EntityStore, EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { generateDebugKey, signDebugToken } from '../../core/debug-token.js';
import type { TraceLookup } from '../../core/request-traces.js';
import { parseIsoDuration } from '../../model/iso-duration.js';
import { ArmError, invalidField, notFound, validationError, type ArmErrorDetail } from './arm-error.js';
import { relativeReference } from './arm-ids.js';
import type { ArmRequest, ArmResponse } from './resource-operations.js';
import type { SecretSealer } from './secret-sealer.js';

export const debugCredentialsKind = 'debugCredentials';
export const debugCredentialsStoreId = 'debugCredentials/settings';

/** Azure: "Maximum duration of the credentials is PT1H. When property is not specified, the value PT1H is used." */
const maxCredentialsLifetimeMs = 3_600_000;
/** How long listTrace waits for a trace still on its way from a gateway process. */
const traceArrivalWaitMs = 2000;

const debugActions = new Set(['listdebugcredentials', 'invalidatedebugcredentials', 'listtrace']);

export interface DebugCredentialsDeps {
  store: EntityStore;
  sealer: SecretSealer;
  now: () => Date;
  serviceName: string;
  /** Where the gateway's traces are kept; absent: none are (listTrace finds nothing). */
  traces?: TraceLookup;
}

/** Whether a request is one of these actions (`gateways/{g}/{action}`, POST). */
export function isDebugCredentialsAction(request: ArmRequest): boolean {
  const s = request.segments;
  return s.length === 3 && s[0]!.toLowerCase() === 'gateways' && debugActions.has(s[2]!.toLowerCase());
}

/**
 * Writes the service's debug key when the store has none; `start` calls it before the gateway
 * reads its first configuration, so tokens work from the first request. True when it wrote.
 */
export async function ensureDebugCredentials(store: EntityStore, sealer: SecretSealer, actor: string): Promise<boolean> {
  if (await store.get(debugCredentialsStoreId)) return false;
  await store.transaction(actor, async (tx) => {
    await settingsIn(tx, sealer);
  });
  return true;
}

async function settingsIn(tx: EntityTransaction, sealer: SecretSealer): Promise<StoredEntity> {
  const existing = await tx.get(debugCredentialsStoreId);
  if (existing) return existing;
  return tx.put({ kind: debugCredentialsKind, id: debugCredentialsStoreId, parent: '', body: { key: sealer.seal(generateDebugKey()), invalidatedAt: {} } });
}

/** Serves one of the three actions. */
export async function handleDebugCredentialsAction(request: ArmRequest, deps: DebugCredentialsDeps): Promise<ArmResponse> {
  if (request.method !== 'POST') throw new ArmError(405, 'MethodNotAllowed', `'${request.segments[2]}' is a POST action.`);
  const action = request.segments[2]!.toLowerCase();
  const gatewayId = await gatewayIdOf(request.segments[1]!, deps.store);
  if (action === 'listtrace') return listTrace(request, gatewayId, deps);
  return deps.store.transaction(request.actor, async (tx) => {
    const settings = await settingsIn(tx, deps.sealer);
    if (action === 'invalidatedebugcredentials') {
      const invalidatedAt = { ...(settings.body.invalidatedAt as Record<string, string>), [gatewayId.toLowerCase()]: deps.now().toISOString() };
      await tx.put({ kind: settings.kind, id: settings.id, parent: '', body: { ...settings.body, invalidatedAt } }, { ifMatch: settings.etag });
      return { status: 204, headers: {} };
    }
    const { apiName, lifetimeMs } = await readCredentialsRequest(request.body, tx);
    const issuedAt = deps.now().getTime();
    const key = deps.sealer.open(String(settings.body.key));
    const token = signDebugToken({ apiName, gatewayId, issuedAt, expiresAt: issuedAt + lifetimeMs }, key);
    return { status: 200, headers: {}, body: { token } };
  });
}

/** `managed`, or the stored spelling of an existing self-hosted gateway's id. */
async function gatewayIdOf(given: string, store: EntityStore): Promise<string> {
  if (given.toLowerCase() === 'managed') return 'managed';
  const entity = await store.get(`gateways/${given}`);
  if (!entity || entity.kind !== 'gateway') throw notFound('Gateway');
  return entity.id.slice('gateways/'.length);
}

/** Checks a GatewayListDebugCredentialsContract body: the API it names exists, `purposes` is `["tracing"]`, the lifetime at most PT1H. */
async function readCredentialsRequest(body: Record<string, unknown> | undefined, tx: EntityTransaction): Promise<{ apiName: string; lifetimeMs: number }> {
  const given = body ?? {};
  const problems: ArmErrorDetail[] = [];
  const problem = (target: string, message: string): void => void problems.push({ code: 'ValidationError', target, message });
  const { apiId, purposes, credentialsExpireAfter } = given;
  let lifetimeMs = maxCredentialsLifetimeMs;
  if (credentialsExpireAfter !== undefined && credentialsExpireAfter !== null) {
    const ms = typeof credentialsExpireAfter === 'string' ? parseIsoDuration(credentialsExpireAfter) : undefined;
    if (ms === undefined || ms <= 0) problem('credentialsExpireAfter', `'${String(credentialsExpireAfter)}' is not a positive ISO 8601 duration (e.g. PT30M).`);
    else if (ms > maxCredentialsLifetimeMs) problem('credentialsExpireAfter', 'The maximum duration of the credentials is PT1H.');
    else lifetimeMs = ms;
  }
  if (!Array.isArray(purposes) || purposes.length === 0) problem('purposes', "'purposes' is required: [\"tracing\"].");
  else if (purposes.some((p) => typeof p !== 'string' || p.toLowerCase() !== 'tracing')) problem('purposes', "The only purpose of debug credentials is 'tracing'.");
  let apiPath: string | undefined;
  if (typeof apiId !== 'string' || apiId === '') problem('apiId', "'apiId' is required: the full resource id of an API.");
  else {
    apiPath = relativeReference(apiId);
    if (!/^apis\/[^/]+$/i.test(apiPath)) problem('apiId', `'${apiId}' is not the resource id of an API.`);
  }
  if (problems.length > 0) throw validationError(problems);
  const api = await tx.get(apiPath!);
  if (!api || api.kind !== 'api') throw notFound('Api');
  // A revision is traced through its API: the token names the API, as the gateway routes it.
  const name = api.id.slice('apis/'.length);
  return { apiName: name.replace(/;rev=.*$/i, ''), lifetimeMs };
}

async function listTrace(request: ArmRequest, gatewayId: string, deps: DebugCredentialsDeps): Promise<ArmResponse> {
  const traceId = request.body?.traceId;
  if (typeof traceId !== 'string' || traceId === '' || traceId.length > 200) throw invalidField('traceId', "'traceId' is required: the value of a traced response's Apim-Trace-Id header.");
  const trace = await deps.traces?.find(gatewayId, traceId, traceArrivalWaitMs);
  if (!trace) throw notFound('Trace');
  return { status: 200, headers: {}, body: { serviceName: deps.serviceName, traceId: trace.traceId, traceEntries: trace.traceEntries } };
}
