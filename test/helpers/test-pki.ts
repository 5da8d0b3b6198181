/**
 * A small certificate authority for tests, made by openssl at test time (no key is committed):
 * a root CA, certificates it issues (server certificates with IP/DNS names, client
 * certificates with chosen validity), their PEM and PFX forms, and thumbprints.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate with its key, both PEM. */
export interface IssuedCertificate {
  cert: string;
  key: string;
  /** SHA-1 of the DER, upper-case hex. */
  thumbprint: string;
  /** The serial number, upper-case hex as .NET prints it. */
  serialNumber: string;
}

export interface IssueOptions {
  /** Subject alternative names, e.g. `IP:127.0.0.1`, `DNS:api.test`. */
  altNames?: string[];
  /** Days from now the certificate starts (negative: in the past) and ends. */
  startDays?: number;
  endDays?: number;
  /** The extra subject attributes after CN, e.g. `/O=Contoso`. */
  subjectSuffix?: string;
  /** A CRL distribution point URL written into the certificate. */
  crlUrl?: string;
  /** Make a CA certificate (an intermediate) instead of an end-entity one. */
  ca?: boolean;
}

export class TestPki {
  private readonly dir = mkdtempSync(join(tmpdir(), 'gatehouse-pki-'));
  private serial = 0x1000;
  readonly ca: IssuedCertificate;

  /** A root CA, or with `signedBy` an intermediate CA that the other PKI's CA issues. */
  constructor(readonly caName = 'Gatehouse Test Root CA', signedBy?: TestPki) {
    if (signedBy) {
      const issued = signedBy.issue(caName, { ca: true });
      writeFileSync(this.path('ca.pem'), issued.cert);
      writeFileSync(this.path('ca.key'), issued.key);
      this.ca = issued;
      writeFileSync(this.path('index.txt'), '');
      return;
    }
    this.openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.path('ca.key'), '-out', this.path('ca.pem'), '-subj', `/CN=${caName}`, '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.ca = this.read('ca');
    writeFileSync(this.path('index.txt'), '');
  }

  /** A certificate for `commonName` signed by this CA. */
  issue(commonName: string, options: IssueOptions = {}): IssuedCertificate {
    const name = `c${++this.serial}`;
    this.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.path(`${name}.key`), '-out', this.path(`${name}.csr`), '-subj', `/CN=${commonName}${options.subjectSuffix ?? ''}`]);
    const extensions = options.ca
      ? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']
      : ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=serverAuth,clientAuth'];
    if (options.altNames?.length) extensions.push(`subjectAltName=${options.altNames.join(',')}`);
    if (options.crlUrl) extensions.push(`crlDistributionPoints=URI:${options.crlUrl}`);
    writeFileSync(this.path(`${name}.ext`), extensions.join('\n') + '\n');
    const day = 86_400_000;
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    // Chosen validity dates need `openssl ca` (x509 -req takes them only from OpenSSL 3.4): a minimal config.
    writeFileSync(
      this.path('ca.cnf'),
      `[ca]\ndefault_ca=test\n[test]\ndatabase=${this.path('index.txt')}\nnew_certs_dir=${this.dir}\nserial=${this.path(`${name}.serial`)}\ncertificate=${this.path('ca.pem')}\nprivate_key=${this.path('ca.key')}\ndefault_md=sha256\npolicy=any\nunique_subject=no\ncopy_extensions=none\n[any]\ncommonName=supplied\norganizationName=optional\n`,
    );
    writeFileSync(this.path(`${name}.serial`), this.serial.toString(16).toUpperCase() + '\n');
    this.openssl([
      'ca', '-batch', '-config', this.path('ca.cnf'), '-in', this.path(`${name}.csr`), '-out', this.path(`${name}.pem`),
      '-startdate', stamp(Date.now() + (options.startDays ?? -1) * day), '-enddate', stamp(Date.now() + (options.endDays ?? 30) * day),
      '-extfile', this.path(`${name}.ext`), '-notext',
    ]);
    return this.read(name);
  }

  /** Marks `issued` revoked in the CA's database (the next crl() lists it). */
  revoke(issued: IssuedCertificate): void {
    writeFileSync(this.path('r.pem'), issued.cert);
    this.openssl(['ca', '-config', this.path('ca.cnf'), '-revoke', this.path('r.pem')]);
  }

  /** The CA's revocation list now, DER, valid for a day. */
  crl(): Buffer {
    this.openssl(['ca', '-config', this.path('ca.cnf'), '-gencrl', '-crldays', '1', '-out', this.path('crl.pem')]);
    this.openssl(['crl', '-in', this.path('crl.pem'), '-outform', 'DER', '-out', this.path('crl.der')]);
    return readFileSync(this.path('crl.der'));
  }

  /** The certificate and key as a base64 PFX with `password`. */
  pfx(issued: IssuedCertificate, password: string): string {
    writeFileSync(this.path('p.pem'), issued.cert);
    writeFileSync(this.path('p.key'), issued.key);
    this.openssl(['pkcs12', '-export', '-in', this.path('p.pem'), '-inkey', this.path('p.key'), '-out', this.path('p.pfx'), '-passout', `pass:${password}`]);
    return readFileSync(this.path('p.pfx')).toString('base64');
  }

  /** Writes `text` into the PKI's folder (mode 600) and answers its path. */
  file(name: string, text: string): string {
    writeFileSync(this.path(name), text, { mode: 0o600 });
    return this.path(name);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private read(name: string): IssuedCertificate {
    const cert = readFileSync(this.path(`${name}.pem`), 'utf8');
    const key = readFileSync(this.path(`${name}.key`), 'utf8');
    const x509 = new X509Certificate(cert);
    return { cert, key, thumbprint: x509.fingerprint.replace(/:/g, ''), serialNumber: x509.serialNumber.toUpperCase() };
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
