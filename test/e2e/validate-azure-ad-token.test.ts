/**
 * validate-azure-ad-token through a real `gatehouse start` process whose `--entra-authority` is a
 * loopback stand-in for Microsoft Entra ID: a good token reaches the backend; a wrong audience,
 * a missing claim and another client application are refused with Azure's 401 body. And
 * validate-jwt's decryption-keys: an encrypted (JWE) token from the same issuer is decrypted and
 * validated.
 */
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { assertInvalidJwt, policies } from './helpers/policy-e2e-support.js';
import { startEntraServer, type EntraServer } from '../helpers/entra-server.js';

const tenant = 'contoso.onmicrosoft.com';
const clientApp = '0f3b6c1e-1111-4c2a-9d7e-00000000e2e1';
const backendApp = '5e0c7d2a-2222-4b1f-8e6d-00000000e2e2';
let echo: EchoBackend;
let entra: EntraServer;
let gh: GatehouseProcess;
const encryptionKey = randomBytes(32);

before(async () => {
  echo = await startEchoBackend();
  entra = await startEntraServer();
  const dir = writeApiopsFolder({
    'named values/TenantId/namedValueInformation.json': { properties: { displayName: 'TenantId', value: tenant } },
    'apis/orders/apiInformation.json': apiInformation({ displayName: 'orders', path: 'orders', serviceUrl: echo.url, subscriptionRequired: false }),
    'apis/orders/specification.json': openApi([{ operationId: 'list', method: 'GET', path: '/' }]),
    'apis/orders/policy.xml': policies({
      inbound: `<base /><validate-azure-ad-token tenant-id="{{TenantId}}">
          <client-application-ids><application-id>${clientApp}</application-id></client-application-ids>
          <backend-application-ids><application-id>${backendApp}</application-id></backend-application-ids>
          <required-claims><claim name="roles" match="any"><value>Orders.Read</value></claim></required-claims>
        </validate-azure-ad-token>`,
    }),
    'apis/vault/apiInformation.json': apiInformation({ displayName: 'vault', path: 'vault', serviceUrl: echo.url, subscriptionRequired: false }),
    'apis/vault/specification.json': openApi([{ operationId: 'read', method: 'GET', path: '/' }]),
    'apis/vault/policy.xml': policies({
      inbound: `<base /><validate-jwt header-name="Authorization" require-scheme="Bearer">
          <openid-config url="${entra.url}/${tenant}/v2.0/.well-known/openid-configuration" />
          <decryption-keys><key>${encryptionKey.toString('base64')}</key></decryption-keys>
          <audiences><audience>api://vault</audience></audiences>
        </validate-jwt>`,
    }),
  });
  gh = await startGatehouseProcess(['--config', dir, '--entra-authority', entra.url]);
});

after(async () => {
  await gh?.stop();
  await Promise.all([echo?.close(), entra?.close()]);
});

const token = (claims: Record<string, unknown> = {}) =>
  entra.sign({ iss: entra.issuerV2(tenant), aud: `api://${backendApp}`, azp: clientApp, sub: 'user-7', roles: ['Orders.Read'], ...claims });
const get = (t: string) => fetch(`${gh.gatewayUrl}/orders/`, { headers: { authorization: `Bearer ${t}` } });

describe('validate-azure-ad-token (gatehouse process, loopback Entra authority)', () => {
  it('a good token reaches the backend', async () => {
    const res = await get(await token());
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.ok(entra.fetches[`/${tenant}/v2.0/.well-known/openid-configuration`]! >= 1, 'discovered under --entra-authority');
  });

  it('a wrong audience is refused', async () => {
    await assertInvalidJwt(await get(await token({ aud: 'api://billing' })));
  });

  it('a missing claim is refused', async () => {
    await assertInvalidJwt(await get(await token({ roles: undefined })));
  });

  it('another client application is refused', async () => {
    await assertInvalidJwt(await get(await token({ azp: '99999999-0000-0000-0000-000000000000' })));
  });

  it('no token: "JWT not present."', async () => {
    const res = await fetch(`${gh.gatewayUrl}/orders/`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { statusCode: 401, message: 'JWT not present.' });
  });
});

describe('validate-jwt decryption-keys (gatehouse process)', () => {
  const seal = async (claims: Record<string, unknown>, key = encryptionKey) =>
    new CompactEncrypt(new TextEncoder().encode(await token(claims))).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256', cty: 'JWT' }).encrypt(key);
  const read = (t: string) => fetch(`${gh.gatewayUrl}/vault/`, { headers: { authorization: `Bearer ${t}` } });

  it('an encrypted token is decrypted and its signed content validated', async () => {
    const res = await read(await seal({ aud: 'api://vault' }));
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  it('one encrypted with another key, or with the wrong audience inside, is refused', async () => {
    await assertInvalidJwt(await read(await seal({ aud: 'api://vault' }, randomBytes(32))));
    await assertInvalidJwt(await read(await seal({ aud: 'api://orders' })));
  });
});
