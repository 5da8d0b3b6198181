/**
 * A loopback stand-in for Microsoft Entra ID's OpenID endpoints, laid out as
 * login.microsoftonline.com lays them out: `/{tenant}/v2.0/.well-known/openid-configuration`
 * (issuer `<base>/{tenant}/v2.0`), `/{tenant}/.well-known/openid-configuration` (the v1 issuer
 * `https://sts.windows.net/{tenant}/`), and their JWKS. `common` and `organizations` publish the
 * `{tenantid}` issuer templates, as Entra does. It signs tokens with its RS256 key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

export interface EntraServer {
  /** The authority: `http://127.0.0.1:<port>`. */
  url: string;
  /** How many times each path was fetched. */
  fetches: Record<string, number>;
  /** The v2.0 issuer of `tenant`. */
  issuerV2(tenant: string): string;
  /** Signs `claims` (an hour of life from now unless `exp` is given) with the published key. */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** The public key as a JWK (with its kid). */
  jwk: JWK;
  privateKey: KeyLike;
  close(): Promise<void>;
}

export const entraKeyId = 'loopback-entra-key-1';

export async function startEntraServer(): Promise<EntraServer> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: entraKeyId, use: 'sig', alg: 'RS256' };
  const fetches: Record<string, number> = {};
  let base = '';
  const templated = (tenant: string) => (tenant === 'common' || tenant === 'organizations' ? '{tenantid}' : tenant);
  const server: Server = createServer((req, res) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://entra').pathname;
    fetches[path] = (fetches[path] ?? 0) + 1;
    const json = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
      return json({ issuer: `${base}/${templated(m[1]!)}/v2.0`, jwks_uri: `${base}/${m[1]}/discovery/v2.0/keys` });
    }
    if ((m = /^\/([^/]+)\/\.well-known\/openid-configuration$/.exec(path))) {
      return json({ issuer: `https://sts.windows.net/${templated(m[1]!)}/`, jwks_uri: `${base}/${m[1]}/discovery/keys` });
    }
    if (/^\/[^/]+\/discovery(\/v2\.0)?\/keys$/.test(path)) return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    fetches,
    issuerV2: (tenant) => `${base}/${tenant}/v2.0`,
    jwk,
    privateKey: pair.privateKey,
    async sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now, nbf: now, exp: now + 3600, ...claims }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: entraKeyId }).sign(pair.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
