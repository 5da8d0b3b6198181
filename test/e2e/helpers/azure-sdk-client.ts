/**
 * The test's side of the Azure SDK child process (azure-sdk-child.ts): starts it with the
 * management API's certificate in NODE_EXTRA_CA_CERTS and forwards typed SDK calls to it, so a
 * test reads like SDK code: `await sdk.call('api', 'get', rg, service, 'echo')`.
 */
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../../..', import.meta.url).pathname;
const childPath = join(root, 'test', 'e2e', 'helpers', 'azure-sdk-child.ts');

/** One SDK call sent to the child: `client[group][method](...args)`. */
export interface SdkCall {
  id: number;
  group: string;
  method: string;
  args: unknown[];
}

/** What an SDK call did, as the child reports it. */
export type SdkReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; statusCode?: number; code?: string } };

/** An SDK call that failed in the child; statusCode and code come from the SDK's RestError. */
export class SdkCallError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SdkCallError';
  }
}

type Client = ApiManagementClient;
type Fn = (...args: never[]) => unknown;
type MethodOf<G extends keyof Client> = { [M in keyof Client[G]]: Client[G][M] extends Fn ? M : never }[keyof Client[G]] & string;
type ArgsOf<G extends keyof Client, M extends keyof Client[G]> = Client[G][M] extends (...args: infer A) => unknown ? A : never;
// A list call's paged iterator comes back as the array of all its items; JSON carries the rest
// (dates arrive as ISO strings).
type Settled<R> = R extends Promise<infer T> ? T : R extends AsyncIterable<infer I> ? I[] : R;
type ResultOf<G extends keyof Client, M extends keyof Client[G]> = Client[G][M] extends (...args: never[]) => infer R ? Settled<R> : never;

/** A running SDK child. */
export interface AzureSdk {
  /** Runs `client[group][method](...args)` in the child; rejects with SdkCallError when the SDK throws. */
  call<G extends keyof Client & string, M extends MethodOf<G>>(group: G, method: M, ...args: ArgsOf<G, M>): Promise<ResultOf<G, M>>;
  close(): Promise<void>;
}

/** Starts the SDK child against a management endpoint whose certificate is in `caFile`. */
export async function startAzureSdk(options: { endpoint: string; token: string; caFile: string; subscriptionId: string }): Promise<AzureSdk> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', childPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: options.caFile,
      GATEHOUSE_SDK_ENDPOINT: options.endpoint,
      GATEHOUSE_SDK_TOKEN: options.token,
      GATEHOUSE_SDK_SUBSCRIPTION: options.subscriptionId,
    },
  });
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
  const pending = new Map<number, { label: string; resolve(value: unknown): void; reject(err: Error): void }>();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the SDK child exited with ${code}:\n${output.join('')}`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (reply: SdkReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else {
      const { message, statusCode, code } = reply.error;
      waiter.reject(new SdkCallError(`${waiter.label} failed: ${statusCode ?? '-'} ${code ?? reply.error.name}: ${message}`, statusCode, code));
    }
  });
  let next = 0;
  const send = (group: string, method: string, args: unknown[]): Promise<unknown> => {
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { label: `${group}.${method}`, resolve, reject });
      if (id > 0) child.send({ id, group, method, args } satisfies SdkCall);
    });
  };
  // Message 0 is the child's "ready": the SDK loaded and the client exists.
  await Promise.race([send('', '', []), exited.then(() => Promise.reject(new Error(`the SDK child exited early:\n${output.join('')}`)))]);
  return {
    call: (group, method, ...args) => send(group, method, args) as never,
    async close() {
      if (child.connected) child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
