// SOAP pass-through routing (docs/soap-apis.md): a `soap` API's `/?soapAction=<action>`
// operations are matched by the SOAPAction header (SOAP 1.1) or the action parameter of
// `application/soap+xml` (SOAP 1.2); an unknown action is the usual operation-not-found miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable } from '../../../src/gateway/routing/index.js';
import { requestSoapAction } from '../../../src/gateway/routing/soap-action.js';
import { api, check, op, request } from './routing-fixtures.js';

const soapOps = [op('POST /?soapAction=http://example.org/calc/Add', 'add'), op('POST /?soapAction=urn:calc:Sub;v=1', 'sub'), op('POST /?soapAction=', 'empty')];
const table = RouteTable.build(
  [
    api('calc', 'calc', soapOps, { type: 'soap' }),
    // The same operations on an http API: the header means nothing there.
    api('plain', 'plain', soapOps, { type: 'http' }),
  ],
  [],
);
const soap11 = (path: string, action: string) => request(`POST ${path}`, { headers: { SOAPAction: action, 'content-type': 'text/xml; charset=utf-8' } });
const soap12 = (path: string, contentType: string) => request(`POST ${path}`, { headers: { 'Content-Type': contentType } });

describe('SOAP action routing', () => {
  it('SOAP 1.1: the SOAPAction header, quoted or not, selects the operation', () => {
    check(table, { req: soap11('/calc', '"http://example.org/calc/Add"'), expect: { api: 'calc', op: 'add', remaining: '' } });
    check(table, { req: soap11('/calc/', 'http://example.org/calc/Add'), expect: { api: 'calc', op: 'add' } });
    check(table, { req: soap11('/calc', '""'), expect: { api: 'calc', op: 'empty' } });
  });

  it('SOAP 1.2: the action parameter of application/soap+xml selects the operation, a quoted ; included', () => {
    check(table, { req: soap12('/calc', 'application/soap+xml; charset=utf-8; action="urn:calc:Sub;v=1"'), expect: { api: 'calc', op: 'sub' } });
    check(table, { req: soap12('/calc', 'Application/SOAP+XML;action=http://example.org/calc/Add'), expect: { api: 'calc', op: 'add' } });
  });

  it('an unknown or missing action, another method, or an http API is operation-not-found', () => {
    check(table, { req: soap11('/calc', '"http://example.org/calc/Multiply"'), expect: { miss: 'operation-not-found' } });
    check(table, { req: request('POST /calc', { headers: { 'content-type': 'text/xml' } }), expect: { miss: 'operation-not-found' } });
    check(table, { req: soap12('/calc', 'text/xml; action="http://example.org/calc/Add"'), expect: { miss: 'operation-not-found' } });
    check(table, { req: request('GET /calc', { headers: { SOAPAction: 'http://example.org/calc/Add' } }), expect: { miss: 'operation-not-found' } });
    check(table, { req: soap11('/plain', 'http://example.org/calc/Add'), expect: { miss: 'operation-not-found' } });
  });

  it('a soapAction already in the query is matched as it is (the header does not override it)', () => {
    check(table, { req: request('POST /calc?soapAction=urn:calc:Sub;v=1', { headers: { SOAPAction: 'http://example.org/calc/Add' } }), expect: { api: 'calc', op: 'sub' } });
  });

  it('reads the action from either header', () => {
    const h = (headers: Record<string, string>) => ({ header: (n: string) => headers[n.toLowerCase()] });
    assert.equal(requestSoapAction(h({ soapaction: ' "a\\"b" ' })), 'a"b');
    assert.equal(requestSoapAction(h({ 'content-type': 'application/soap+xml' })), undefined);
    assert.equal(requestSoapAction(h({})), undefined);
  });
});
