/**
 * validate-jwt's `decryption-keys` with `certificate-id` through a real `gatehouse start` process:
 * RSA certificates are uploaded through the management API, one as PEM with its private key and
 * one as a PFX with its password (Azure's form), and a signed token encrypted (JWE, RSA-OAEP-256 /
 * RSA-OAEP) for each is decrypted and validated before it reaches the backend. A token encrypted
 * for another key, or whose inner token fails validation, is refused with Azure's 401 body; a
 * policy naming a PFX whose key is not RSA is refused when saved, and a certificate in use can be
 * replaced by its PFX but neither by a public certificate nor deleted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { CompactEncrypt, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { assertInvalidJwt, policies } from './helpers/policy-e2e-support.js';
import { waitFor } from './helpers/wait-for.js';
import { packPfx, selfSignedCertificate, type KeyPair } from '../helpers/tls-test-servers.js';

const signingSecret = randomBytes(32);
let echo: EchoBackend;
let gh: GatehouseProcess;
let call: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
let decrypter: KeyPair;
let pfxDecrypter: KeyPair;

const ok = (r: ManagementAnswer) => assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`);
const validateJwt = (certificateId: string) =>
  policies({
    inbound: `<base /><validate-jwt header-name="Authorization" require-scheme="Bearer">
        <issuer-signing-keys><key>${signingSecret.toString('base64')}</key></issuer-signing-keys>
        <decryption-keys><key certificate-id="${certificateId}" /></decryption-keys>
        <audiences><audience>api://vault</audience></audiences>
      </validate-jwt>`,
  });

before(async () => {
  echo = await startEchoBackend();
  decrypter = await selfSignedCertificate('token-decryption', {}, 'rsa');
  gh = await startGatehouseProcess([]);
  call = managementClient(gh);
  ok(await call('PUT', 'certificates/token-decryption', { properties: { data: decrypter.cert + decrypter.key } }));
  ok(await call('PUT', 'apis/vault', { properties: { displayName: 'vault', path: 'vault', protocols: ['http'], subscriptionRequired: false, serviceUrl: echo.url } }));
  ok(await call('PUT', 'apis/vault/operations/read', { properties: { displayName: 'read', method: 'GET', urlTemplate: '/' } }));
  ok(await call('PUT', 'apis/vault/policies/policy', { properties: { format: 'rawxml', value: validateJwt('token-decryption') } }));
});

after(async () => {
  await gh?.stop();
  await echo?.close();
});

/** A signed token for `aud`, encrypted for `recipient` with RSA key management `alg`. */
async function encryptedToken(recipient: KeyLike, alg: string, aud = 'api://vault'): Promise<string> {
  const signed = await new SignJWT({ sub: 'user-7', aud }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime('10m').sign(signingSecret);
  return new CompactEncrypt(new TextEncoder().encode(signed)).setProtectedHeader({ alg, enc: 'A256CBC-HS512', cty: 'JWT' }).encrypt(recipient);
}
const get = (token: string, api = 'vault') => fetch(`${gh.gatewayUrl}/${api}/`, { headers: { authorization: `Bearer ${token}` } });
/** The status of a GET with `token` (the body read). */
const statusOf = async (token: string, api?: string) => {
  const res = await get(token, api);
  await res.arrayBuffer();
  return res.status;
};

describe('validate-jwt decryption-keys with certificate-id (gatehouse process, PEM and PFX certificates uploaded through the management API)', () => {
  it('decrypts RSA-OAEP-256 and RSA-OAEP tokens with the certificate private key and lets them through', async () => {
    const publicKey = createPublicKey(decrypter.cert);
    const first = await encryptedToken(publicKey, 'RSA-OAEP-256');
    await waitFor('the policy to apply', async () => {
      const probe = await get(first);
      await probe.arrayBuffer();
      return probe.status === 200;
    }, gh, 30_000);
    const res = await get(await encryptedToken(publicKey, 'RSA-OAEP'));
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  it('refuses a token encrypted for another key, and one whose inner token has another audience', async () => {
    await assertInvalidJwt(await get(await encryptedToken((await generateKeyPair('RSA-OAEP-256')).publicKey, 'RSA-OAEP-256')));
    await assertInvalidJwt(await get(await encryptedToken(createPublicKey(decrypter.cert), 'RSA-OAEP-256', 'api://other')));
  });

  it('decrypts RSA-OAEP-256 tokens with a certificate uploaded as a PFX with its password', async () => {
    pfxDecrypter = await selfSignedCertificate('pfx-token-decryption', {}, 'rsa');
    const pfx = packPfx(pfxDecrypter, 'pfx-pass');
    ok(await call('PUT', 'certificates/pfx-decryption', { properties: { data: pfx.pfx, password: 'pfx-pass' } }));
    ok(await call('PUT', 'apis/vault-pfx', { properties: { displayName: 'vault-pfx', path: 'vault-pfx', protocols: ['http'], subscriptionRequired: false, serviceUrl: echo.url } }));
    ok(await call('PUT', 'apis/vault-pfx/operations/read', { properties: { displayName: 'read', method: 'GET', urlTemplate: '/' } }));
    ok(await call('PUT', 'apis/vault-pfx/policies/policy', { properties: { format: 'rawxml', value: validateJwt('pfx-decryption') } }));
    const publicKey = createPublicKey(pfxDecrypter.cert);
    const first = await encryptedToken(publicKey, 'RSA-OAEP-256');
    await waitFor('the PFX policy to apply', async () => (await statusOf(first, 'vault-pfx')) === 200, gh, 30_000);
    assert.equal(await statusOf(await encryptedToken(publicKey, 'RSA-OAEP'), 'vault-pfx'), 200);
    // The PEM certificate's tokens are not this API's, and the inner token is still validated.
    await assertInvalidJwt(await get(await encryptedToken(createPublicKey(decrypter.cert), 'RSA-OAEP-256'), 'vault-pfx'));
    await assertInvalidJwt(await get(await encryptedToken(publicKey, 'RSA-OAEP-256', 'api://other'), 'vault-pfx'));
  });

  it('refuses at save time a PFX whose key is not RSA, and replacing a certificate in use by a public one', async () => {
    const ec = packPfx(await selfSignedCertificate('ec-token-decryption'), 'pfx-pass');
    ok(await call('PUT', 'certificates/ec-pfx', { properties: { data: ec.pfx, password: 'pfx-pass' } }));
    const refused = await call('PUT', 'apis/vault/policies/policy', { properties: { format: 'rawxml', value: validateJwt('ec-pfx') } });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /The certificate 'ec-pfx' cannot decrypt tokens: its key is ec, RSA \(RSA-OAEP, RSA-OAEP-256\) is required/);
    const replaced = await call('PUT', 'certificates/pfx-decryption', { properties: { data: pfxDecrypter.cert } });
    assert.equal(replaced.status, 400, replaced.text);
    assert.match(replaced.text, /The certificate is used by a policy/);
    assert.equal((await call('DELETE', 'certificates/pfx-decryption')).status, 400);
    assert.equal(await statusOf(await encryptedToken(createPublicKey(pfxDecrypter.cert), 'RSA-OAEP-256'), 'vault-pfx'), 200);
  });

  it('lets the PEM certificate in use be replaced by its own PFX, which keeps decrypting', async () => {
    const pfx = packPfx(decrypter, 'pfx-pass');
    ok(await call('PUT', 'certificates/token-decryption', { properties: { data: pfx.pfx, password: 'pfx-pass' } }));
    // A token for another key after the swap is refused, one for the certificate still passes.
    const other = await encryptedToken((await generateKeyPair('RSA-OAEP-256')).publicKey, 'RSA-OAEP-256');
    await assertInvalidJwt(await get(other));
    assert.equal(await statusOf(await encryptedToken(createPublicKey(decrypter.cert), 'RSA-OAEP-256')), 200);
  });
});
