/**
 * Child process that holds a real `@azure/arm-apimanagement` client and runs the calls its parent
 * sends over IPC. It exists because Node reads NODE_EXTRA_CA_CERTS only at start: the parent
 * starts this process with the management API's self-signed certificate in that variable, the
 * way an operator would run the SDK against Gatehouse, so the SDK's TLS checks stay on.
 *
 * Configuration comes from the environment: GATEHOUSE_SDK_ENDPOINT (management HTTPS URL),
 * GATEHOUSE_SDK_TOKEN (admin token) and GATEHOUSE_SDK_SUBSCRIPTION (ARM subscription id).
 */
import { ApiManagementClient } from '@azure/arm-apimanagement';
import type { SdkCall, SdkReply } from './azure-sdk-client.js';

const endpoint = required('GATEHOUSE_SDK_ENDPOINT');
const token = required('GATEHOUSE_SDK_TOKEN');
const subscriptionId = required('GATEHOUSE_SDK_SUBSCRIPTION');

// Gatehouse's admin token never expires, so the credential hands out the same one for an hour
// at a time; the SDK's bearer policy caches it and asks again before that.
const credential: ConstructorParameters<typeof ApiManagementClient>[0] = {
  getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const client = new ApiManagementClient(credential, subscriptionId, { endpoint, $host: endpoint });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function run(call: SdkCall): Promise<unknown> {
  const group = (client as unknown as Record<string, unknown>)[call.group];
  if (group === null || typeof group !== 'object') throw new Error(`the SDK client has no operation group '${call.group}'`);
  const method = (group as Record<string, unknown>)[call.method];
  if (typeof method !== 'function') throw new Error(`the SDK's '${call.group}' has no method '${call.method}'`);
  const result: unknown = await (method as (...args: unknown[]) => unknown).apply(group, call.args);
  // List operations return paged async iterators: walk every page, as `for await` users do.
  if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
    const items: unknown[] = [];
    for await (const item of result as AsyncIterable<unknown>) items.push(item);
    return items;
  }
  return result;
}

function replyFor(id: number, outcome: { value?: unknown; error?: unknown }): SdkReply {
  if (!('error' in outcome)) return { id, ok: true, value: outcome.value === undefined ? null : JSON.parse(JSON.stringify(outcome.value)) };
  const err = outcome.error as { message?: unknown; statusCode?: unknown; code?: unknown; name?: unknown };
  return {
    id,
    ok: false,
    error: {
      name: typeof err?.name === 'string' ? err.name : 'Error',
      message: typeof err?.message === 'string' ? err.message : String(outcome.error),
      statusCode: typeof err?.statusCode === 'number' ? err.statusCode : undefined,
      code: typeof err?.code === 'string' ? err.code : undefined,
    },
  };
}

process.on('message', (message: SdkCall) => {
  run(message).then(
    (value) => process.send?.(replyFor(message.id, { value })),
    (error: unknown) => process.send?.(replyFor(message.id, { error })),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, value: 'ready' } satisfies SdkReply);
