/**
 * validate-jwt's `decryption-keys` with `certificate-id` through a real `gatehouse start` process:
 * an RSA certificate is uploaded as PEM with its private key through the management API, and a
 * signed token encrypted (JWE, RSA-OAEP-256 / RSA-OAEP) for that certificate is decrypted and
 * validated before it reaches the backend. A token encrypted for another key, or whose inner token
 * fails validation, is refused with Azure's 401 body; a policy naming a certificate stored as a
 * PFX is refused when saved, with a message naming the PEM form, and the certificate in use can
 * be neither replaced by its PFX nor deleted.
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
const get = (token: string) => fetch(`${gh.gatewayUrl}/vault/`, { headers: { authorization: `Bearer ${token}` } });

describe('validate-jwt decryption-keys with certificate-id (gatehouse process, PEM certificate uploaded through the management API)', () => {
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

  it('refuses at save time a policy that decrypts with a certificate stored as PFX, naming the PEM form', async () => {
    const pfx = packPfx(decrypter, 'pfx-pass');
    ok(await call('PUT', 'certificates/as-pfx', { properties: { data: pfx.pfx, password: 'pfx-pass' } }));
    const refused = await call('PUT', 'apis/vault/policies/policy', { properties: { format: 'rawxml', value: validateJwt('as-pfx') } });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /stored as a PFX file; store it as PEM text with its private key/);
    // Nor can the certificate the policy decrypts with be replaced by its PFX, or deleted.
    const replaced = await call('PUT', 'certificates/token-decryption', { properties: { data: pfx.pfx, password: 'pfx-pass' } });
    assert.equal(replaced.status, 400, replaced.text);
    assert.match(replaced.text, /The certificate is used by a policy/);
    assert.equal((await call('DELETE', 'certificates/token-decryption')).status, 400);
    // The saved policy and certificate are unchanged: encrypted tokens still pass.
    const still = await get(await encryptedToken(createPublicKey(decrypter.cert), 'RSA-OAEP-256'));
    assert.equal(still.status, 200);
    await still.arrayBuffer();
  });
});
