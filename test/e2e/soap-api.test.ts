/**
 * A SOAP pass-through API from a folder's `specification.wsdl`, on real processes and sockets:
 * a SOAP 1.1 request (SOAPAction header) and a SOAP 1.2 request (action in the Content-Type)
 * reach the backend through the operation they name (its policy runs), an unknown action gets
 * Azure's 404, and `gatehouse export` writes the WSDL back. Both ways a folder is served are
 * run: `gatehouse import` then `start`, and `start --config`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { apiInformation, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { tempFolders } from '../helpers/temp-folders.js';

const calculator = readFileSync(new URL('../fixtures/soap/calculator.wsdl', import.meta.url), 'utf8');
// The same service with only its SOAP 1.2 port (a folder has no wsdlSelector: the first SOAP port is read).
const calculator12 = calculator.replace(/<wsdl:port name="CalculatorSoap" [\s\S]*?<\/wsdl:port>/, '');
const env = { GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };
const tempDir = tempFolders('gatehouse-soap-');

const envelope = (ns: string, op: string) => `<?xml version="1.0"?><s:Envelope xmlns:s="${ns}"><s:Body><${op} xmlns="http://example.org/calculator"><a>1</a><b>2</b></${op}></s:Body></s:Envelope>`;

describe('SOAP pass-through API (e2e)', () => {
  let backend: Server;
  let folder: string;
  const running: GatehouseProcess[] = [];
  before(async () => {
    // Echoes what it got, so the test sees what the gateway forwarded.
    backend = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, soapAction: req.headers.soapaction, contentType: req.headers['content-type'], op: req.headers['x-op'], body }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const opPolicy = (name: string) => `<policies><inbound><base /><set-header name="x-op" exists-action="override"><value>${name}</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
    folder = writeApiopsFolder({
      'apis/calc/apiInformation.json': apiInformation({ displayName: 'Calculator', path: 'calc', serviceUrl: `${serviceUrl}/soap11`, subscriptionRequired: false, type: 'soap' }),
      'apis/calc/specification.wsdl': calculator,
      'apis/calc/operations/add/policy.xml': opPolicy('add'),
      'apis/calc/operations/subtract/policy.xml': opPolicy('subtract'),
      // No `type` in the information file: a WSDL makes it a SOAP API.
      'apis/calc12/apiInformation.json': apiInformation({ displayName: 'Calculator 1.2', path: 'calc12', serviceUrl: `${serviceUrl}/soap12`, subscriptionRequired: false }),
      'apis/calc12/specification.wsdl': calculator12,
      'apis/calc12/operations/subtract/policy.xml': opPolicy('subtract12'),
    });
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
    backend.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const exercise = async (gh: GatehouseProcess, mode: string): Promise<void> => {
    const soap11 = await fetch(`${gh.gatewayUrl}/calc`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '"http://example.org/calculator/Add"' },
      body: envelope('http://schemas.xmlsoap.org/soap/envelope/', 'Add'),
    });
    assert.equal(soap11.status, 200, `${mode}: ${await soap11.clone().text()}`);
    const got11 = (await soap11.json()) as Record<string, string>;
    assert.equal(got11.method, 'POST', mode);
    assert.equal(got11.url, '/soap11', mode);
    assert.equal(got11.soapAction, '"http://example.org/calculator/Add"', mode);
    assert.equal(got11.op, 'add', `${mode}: the Add operation's policy ran`);
    assert.match(got11.body, /<Add xmlns/, mode);

    const soap12 = await fetch(`${gh.gatewayUrl}/calc12`, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8; action="urn:calculator:Subtract12"' },
      body: envelope('http://www.w3.org/2003/05/soap-envelope', 'Subtract'),
    });
    assert.equal(soap12.status, 200, `${mode}: ${await soap12.clone().text()}`);
    const got12 = (await soap12.json()) as Record<string, string>;
    assert.equal(got12.url, '/soap12', mode);
    assert.equal(got12.op, 'subtract12', mode);
    assert.match(got12.contentType, /action="urn:calculator:Subtract12"/, mode);

    const unknown = await fetch(`${gh.gatewayUrl}/calc`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '"http://example.org/calculator/Multiply"' },
      body: envelope('http://schemas.xmlsoap.org/soap/envelope/', 'Multiply'),
    });
    assert.equal(unknown.status, 404, mode);
    assert.deepEqual(await unknown.json(), { statusCode: 404, message: 'Resource not found' }, mode);
  };

  it('gatehouse import, then start: routed by action; export writes specification.wsdl back', async () => {
    const data = tempDir();
    const imported = await runGatehouse(['import', folder, '--data', data], env);
    assert.equal(imported.code, 0, imported.stderr + imported.stdout);
    const out = join(tempDir(), 'export');
    const exported = await runGatehouse(['export', out, '--data', data], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(readFileSync(join(out, 'apis/calc/specification.wsdl'), 'utf8'), calculator);
    assert.equal(readFileSync(join(out, 'apis/calc12/specification.wsdl'), 'utf8'), calculator12);
    assert.equal(JSON.parse(readFileSync(join(out, 'apis/calc12/apiInformation.json'), 'utf8')).properties.type, 'soap');
    const gh = await startGatehouseProcess(['--data', data], { env });
    running.push(gh);
    await exercise(gh, 'import');
  });

  it('start --config: routed by action', async () => {
    const gh = await startGatehouseProcess(['--config', folder], { env });
    running.push(gh);
    await exercise(gh, '--config');
  });
});
