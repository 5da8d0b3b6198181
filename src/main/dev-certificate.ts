/**
 * The management API's development certificate (issue 3 §4): when no `--management-certificate`
 * is given, a self-signed certificate for localhost, 127.0.0.1, ::1 and the `--host` address is
 * generated into the data folder at first start and reused until it nears expiry. Clients trust
 * it by its file (`management-dev.crt`), as curl's `--cacert` does. Nothing is downloaded.
 * The key file is written with mode 0600; one others may read is refused (core/private-file.ts).
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { checkPrivateFile } from '../core/private-file.js';

export const DEV_CERT_FILE = 'management-dev.crt';
export const DEV_KEY_FILE = 'management-dev.key';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  /** Whether the files were written now. */
  generated: boolean;
}

const lifetimeDays = 365;
const renewBeforeMs = 7 * 24 * 3600 * 1000;

/** The development certificate in `dataDir`, generated when missing, unreadable or close to expiry. */
export async function devCertificate(dataDir: string, host: string): Promise<CertificateFiles> {
  const certFile = join(dataDir, DEV_CERT_FILE);
  const keyFile = join(dataDir, DEV_KEY_FILE);
  if (existsSync(keyFile)) {
    // Refused rather than replaced: a key others could read may already have been copied.
    checkPrivateFile(keyFile, 'management development private key');
  }
  if (existsSync(certFile) && existsSync(keyFile)) {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    if (stillValid(cert)) return { certFile, keyFile, cert, key, generated: false };
  }
  const names: Array<{ type: 2 | 7; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (isIP(host) && !['0.0.0.0', '::', '127.0.0.1', '::1'].includes(host)) names.push({ type: 7, ip: host });
  else if (!isIP(host) && host !== 'localhost') names.push({ type: 2, value: host });
  const now = new Date();
  const made = await generate([{ name: 'commonName', value: 'Gatehouse management (development)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + lifetimeDays * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names },
    ],
  });
  // A fresh file renamed into place: writeFile's mode applies only when it creates the file.
  const temporary = `${keyFile}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, made.private, { mode: 0o600, flag: 'wx' });
  await rename(temporary, keyFile);
  await writeFile(certFile, made.cert, { mode: 0o644 });
  return { certFile, keyFile, cert: made.cert, key: made.private, generated: true };
}

function stillValid(pem: string): boolean {
  try {
    const cert = new X509Certificate(pem);
    return new Date(cert.validTo).getTime() - Date.now() > renewBeforeMs;
  } catch {
    return false;
  }
}
