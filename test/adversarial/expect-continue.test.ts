/**
 * `Expect: 100-continue` (issue 11, finding 6): curl sends it for large uploads, and every such
 * upload used to end in a 500 because the header was forwarded and undici refuses it. A real
 * gateway process in front of the real echo backend takes a 2 MB upload from curl (`-T` and
 * `--data-binary @file`) and from a raw socket that waits for the interim `100 Continue` before
 * it sends the body; the backend gets the whole body and no `Expect` header.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { parseFinalAnswer } from './helpers/raw-exchange.js';

const upload = randomBytes(2 * 1024 * 1024);
const uploadSha = createHash('sha256').update(upload).digest('hex');
let uploadFile: string;
let echo: EchoBackend;
let gh: GatehouseProcess;
let gatewayPort: number;

/** What the echo backend reports about the request it received. */
interface Echoed {
  method: string;
  headers: Record<string, string | undefined>;
  bodySize: number;
  bodySha256: string;
}

before(async () => {
  uploadFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-expect-')), 'upload.bin');
  writeFileSync(uploadFile, upload);
  echo = await startEchoBackend();
  const operations: Record<string, object> = {};
  for (const method of ['PUT', 'POST']) {
    operations[`apis/up/operations/${method.toLowerCase()}/operationInformation.json`] = {
      properties: { displayName: method, method, urlTemplate: '/*', templateParameters: [] },
    };
  }
  const config = writeApiopsFolder({
    'apis/up/apiInformation.json': apiInformation({ displayName: 'up', path: 'up', serviceUrl: echo.url, subscriptionRequired: false }),
    ...operations,
  });
  gh = await startGatehouseProcess(['--config', config]);
  gatewayPort = Number(new URL(gh.gatewayUrl).port);
});

after(async () => {
  await gh?.stop();
  await echo?.close();
});

function assertWholeUploadArrived(echoed: Echoed, method: string): void {
  assert.equal(echoed.method, method);
  assert.equal(echoed.bodySize, upload.length);
  assert.equal(echoed.bodySha256, uploadSha);
  assert.equal(echoed.headers.expect, undefined, 'the Expect header was forwarded to the backend');
}

/** Runs curl verbosely; resolves with the body on stdout and the conversation on stderr. */
function curl(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '-v', '--fail-with-body', ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('a 2 MB upload with Expect: 100-continue', () => {
  for (const [name, args, method] of [
    ['curl -T (PUT)', ['-T', '<file>'], 'PUT'],
    ['curl --data-binary @file (POST)', ['--data-binary', '@<file>', '-H', 'Content-Type: application/octet-stream'], 'POST'],
  ] as const) {
    it(`arrives whole through ${name}`, async () => {
      const { stdout, stderr } = await curl([...args.map((a) => a.replace('<file>', uploadFile)), `${gh.gatewayUrl}/up/files/upload.bin`]);
      // curl's own behaviour is what the issue is about: it must have asked, and been told to go on.
      assert.match(stderr, /> Expect: 100-continue/i);
      assert.match(stderr, /< HTTP\/1\.1 100 Continue/i);
      assertWholeUploadArrived(JSON.parse(stdout) as Echoed, method);
    });
  }

  it('arrives whole from a raw socket that sends the body only after 100 Continue', async () => {
    const socket = connect(gatewayPort, '127.0.0.1');
    const received: Buffer[] = [];
    let interim: () => void;
    const interimSeen = new Promise<void>((resolve) => (interim = resolve));
    const ended = new Promise<void>((resolve, reject) => {
      socket.on('end', () => resolve());
      socket.on('error', reject);
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (/^HTTP\/1\.1 100 Continue\r\n\r\n/.test(Buffer.concat(received).toString('latin1'))) interim();
    });
    socket.write(
      'PUT /up/raw HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\nExpect: 100-continue\r\n' +
        `Content-Type: application/octet-stream\r\nContent-Length: ${upload.length}\r\n\r\n`,
    );
    await interimSeen;
    socket.write(upload);
    await ended;
    const answer = parseFinalAnswer(Buffer.concat(received));
    assert.equal(answer.status, 200, answer.body.toString('utf8'));
    assertWholeUploadArrived(JSON.parse(answer.body.toString('utf8')) as Echoed, 'PUT');
  });
});
