/**
 * Certificates for the gateway's HTTPS listener: a hostname → certificate map served by SNI,
 * with `*.domain` wildcards and a default (`*`) for clients that send no or an unknown name.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { checkPrivateFile } from '../core/private-file.js';

export interface CertificateBinding {
  /** Hostname (`api.example.com`), wildcard (`*.example.com`) or `*` for the default. */
  hostname: string;
  certFile: string;
  keyFile: string;
  /** Ask callers of this host name for a client certificate (`--negotiate-client-certificate`). */
  negotiateClientCertificate?: boolean;
}

export interface LoadedCertificate {
  hostname: string;
  negotiateClientCertificate: boolean;
  cert: Buffer;
  key: Buffer;
  context: SecureContext;
}

/** Reads the certificate and key files; throws a message naming the file that failed. */
export function loadCertificates(bindings: readonly CertificateBinding[]): LoadedCertificate[] {
  return bindings.map((binding) => {
    const cert = readNamed(binding.certFile, 'certificate');
    const key = readNamed(binding.keyFile, 'private key');
    // A private key others can read is refused, as ssh refuses one (core/private-file.ts).
    checkPrivateFile(binding.keyFile, `TLS private key for '${binding.hostname}'`);
    let context: SecureContext;
    try {
      context = createSecureContext({ cert, key });
    } catch (err) {
      throw new Error(`TLS certificate for '${binding.hostname}' (${binding.certFile}, ${binding.keyFile}) is not usable: ${(err as Error).message}`);
    }
    return { hostname: binding.hostname.toLowerCase(), negotiateClientCertificate: binding.negotiateClientCertificate === true, cert, key, context };
  });
}

function readNamed(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read TLS ${what} file '${path}': ${(err as Error).message}`);
  }
}

/** Picks the certificate for a server name: exact, then wildcard, then default (or first). */
export function selectCertificate(certificates: readonly LoadedCertificate[], serverName: string | undefined): LoadedCertificate | undefined {
  const name = (serverName ?? '').toLowerCase();
  if (name) {
    const exact = certificates.find((c) => c.hostname === name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    if (dot !== -1) {
      const wildcard = certificates.find((c) => c.hostname === '*' + name.slice(dot));
      if (wildcard) return wildcard;
    }
  }
  return certificates.find((c) => c.hostname === '*') ?? certificates[0];
}

/** Parses a `HOSTNAME=CERTFILE,KEYFILE` command-line value. */
export function parseCertificateBinding(text: string): CertificateBinding {
  const eq = text.indexOf('=');
  const hostname = eq === -1 ? '*' : text.slice(0, eq);
  const files = (eq === -1 ? text : text.slice(eq + 1)).split(',');
  if (files.length !== 2 || !files[0] || !files[1] || !hostname) {
    throw new Error(`Invalid certificate binding '${text}': expected HOSTNAME=CERTFILE,KEYFILE (HOSTNAME may be * or *.domain).`);
  }
  return { hostname, certFile: files[0], keyFile: files[1] };
}
