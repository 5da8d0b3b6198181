/**
 * What a `gatehouse start` process needs to reach a loopback Key Vault (loopback-key-vault.ts)
 * under its vault-like host name, as a user would set it up: NODE_EXTRA_CA_CERTS trusts the
 * vault's certificate, IDENTITY_ENDPOINT/IDENTITY_HEADER name the managed identity endpoint the
 * SDK honours, and the host name resolves through an /etc/hosts bind-mounted in a private mount
 * namespace of the process (so the SDK's challenge-resource check stays on). That needs root
 * and unshare: elsewhere tests skip with the reason, and under CI=true they fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopbackKeyVault } from './loopback-key-vault.js';

/** Why a process cannot be given a private /etc/hosts here (undefined when it can); throws under CI=true. */
export function keyVaultProcessUnavailable(what: string): string | undefined {
  let reason: string | undefined;
  if (process.getuid?.() !== 0) reason = 'needs root for a private mount namespace (/etc/hosts for the vault host name)';
  else {
    try {
      execFileSync('unshare', ['--mount', 'true'], { stdio: 'ignore' });
    } catch {
      reason = 'unshare --mount is not available';
    }
  }
  if (reason && process.env.CI === 'true') throw new Error(`${what} cannot run under CI: ${reason}`);
  if (reason) console.log(`# ${what} skipped: ${reason}`);
  return reason;
}

/** `startGatehouseProcess` options under which the process reaches `vault` at `vaultHost`; `env` is added over them. */
export function keyVaultProcessOptions(vault: LoopbackKeyVault, vaultHost: string, env: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; prefix: string[] } {
  const hosts = join(mkdtempSync(join(tmpdir(), 'gatehouse-hosts-')), 'hosts');
  writeFileSync(hosts, `127.0.0.1 localhost\n127.0.0.1 ${vaultHost}\n`);
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    ...vault.identityEnv,
    NODE_EXTRA_CA_CERTS: vault.certificateFile,
    GATEHOUSE_TEST_HOSTS: hosts,
    ...env,
  };
  // Other credentials the SDK would try first must not decide which identity reads the vault.
  for (const name of Object.keys(merged)) if (name.startsWith('AZURE_') || name === 'MSI_ENDPOINT' || name === 'IDENTITY_SERVER_THUMBPRINT' || name === 'IMDS_ENDPOINT') delete merged[name];
  return {
    env: merged,
    // A private mount namespace whose /etc/hosts names the vault; `exec "$@"` then runs node.
    prefix: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$GATEHOUSE_TEST_HOSTS" /etc/hosts && exec "$@"', 'sh'],
  };
}
