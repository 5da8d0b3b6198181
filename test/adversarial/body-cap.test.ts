/**
 * Issue 11 finding 4: bodies read by policies had no size cap (three 400 MB uploads read with
 * `Body.As<string>` took the process from 0.9 to 3 GB). A real gateway process started with
 * `--max-buffered-body-size 64KiB` in front of a real backend: uploads past the cap, several at
 * once, get Azure's error body with 413, and the gateway's peak memory does not grow by what
 * was uploaded (read from Linux's /proc: the peak resident size, reset before the uploads).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { policies } from '../e2e/helpers/policy-e2e-support.js';

const CAP = 64 * 1024;
const MiB = 1024 * 1024;
const tooLarge = JSON.stringify({ statusCode: 413, message: `The request body is larger than the ${CAP} bytes a policy may buffer.` });

const hasProcStatus = process.platform === 'linux' && existsSync('/proc/self/clear_refs');
const memorySkip = hasProcStatus ? false : "needs Linux /proc to read and reset the gateway's peak memory";
if (!hasProcStatus && process.env.CI === 'true') throw new Error(`body-cap: ${memorySkip as string}`);

let backend: EchoBackend;
let gh: GatehouseProcess;

before(async () => {
  backend = await startEchoBackend();
  const configDir = writeApiopsFolder({
    'apis/b/apiInformation.json': apiInformation({ displayName: 'Bodies', path: 'b', serviceUrl: `${backend.url}/svc`, subscriptionRequired: false }),
    'apis/b/specification.json': openApi([{ method: 'POST', path: '/read', operationId: 'read' }]),
    'apis/b/operations/read/policy.xml': policies({
      inbound: `<base /><set-header name="x-length" exists-action="override"><value>@(context.Request.Body.As&lt;string&gt;(preserveContent: true).Length.ToString())</value></set-header>`,
    }),
  });
  gh = await startGatehouseProcess(['--config', configDir, '--access-log', 'off', '--max-buffered-body-size', '64KiB']);
});

after(async () => {
  await gh?.stop();
  await backend?.close();
});

async function upload(body: Buffer): Promise<{ status: number; text: string }> {
  const response = await fetch(`${gh.gatewayUrl}/b/read`, { method: 'POST', body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length), headers: { 'content-type': 'text/plain' } });
  return { status: response.status, text: await response.text() };
}

/** A field of /proc/PID/status in bytes (VmRSS, VmHWM). */
function procStatusBytes(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

describe('bodies a policy buffers are capped (--max-buffered-body-size 64KiB)', () => {
  it('answers 1 MiB uploads, 8 at once, with 413 and the error body; a body within the cap still passes', async () => {
    const big = Buffer.alloc(MiB, 0x61);
    const answers = await Promise.all(Array.from({ length: 8 }, () => upload(big)));
    for (const answer of answers) assert.deepEqual(answer, { status: 413, text: tooLarge });
    const small = await fetch(`${gh.gatewayUrl}/b/read`, { method: 'POST', body: new Uint8Array(CAP).fill(0x61) });
    assert.equal(small.status, 200);
    assert.equal(((await small.json()) as { bodySize: number }).bodySize, CAP);
  });

  it("does not grow the gateway's memory by the size of concurrent large uploads", { skip: memorySkip }, async () => {
    const pid = gh.child.pid!;
    const each = 32 * MiB;
    const uploads = 4;
    const body = Buffer.alloc(each, 0x61);
    await upload(Buffer.alloc(CAP + 1)); // warm the path once
    const before = procStatusBytes(pid, 'VmRSS');
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // reset the peak (VmHWM) to the current size
    const answers = await Promise.all(Array.from({ length: uploads }, () => upload(body)));
    for (const answer of answers) assert.deepEqual(answer, { status: 413, text: tooLarge });
    const growth = procStatusBytes(pid, 'VmHWM') - before;
    // Buffering would have held every upload at once (128 MiB, and a copy while concatenating).
    assert.ok(growth < (each * uploads) / 2, `peak grew by ${(growth / MiB).toFixed(1)} MiB for ${(each * uploads) / MiB} MiB uploaded`);
  });
});
