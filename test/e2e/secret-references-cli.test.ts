/**
 * `env:` and `file:` named value references are closed unless the operator opens them, through
 * real `gatehouse` processes: a `start` given `--secret-env APP_*` and GATEHOUSE_SECRET_FILES
 * reads what they allow and refuses, with Azure's 400 naming the option, a variable or a file
 * they do not (a variable the process has, a file it can read); `gatehouse import` and
 * `start --config` refuse a folder naming a closed reference (exit 1, the option named, the store
 * unchanged) and import it once the option opens it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const service = '/subscriptions/sub-sr/resourceGroups/rg-sr/providers/Microsoft.ApiManagement/service/gatehouse';
const root = mkdtempSync(join(tmpdir(), 'gatehouse-secret-refs-'));
const secretsDir = join(root, 'secrets');
const outsideDir = join(root, 'outside');
mkdirSync(secretsDir);
mkdirSync(outsideDir);
writeFileSync(join(secretsDir, 'db-password'), 'allowed-file-secret\n');
writeFileSync(join(outsideDir, 'private'), 'must-not-leak');
// Variables the processes have: one the options allow, one they do not.
const secretEnv = { APP_KEY: 'allowed-env-secret', DB_PASSWORD: 'must-not-leak', GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };
after(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding one Key Vault named value that reads `identifier`. */
function folderReading(identifier: string): string {
  const dir = mkdtempSync(join(root, 'folder-'));
  mkdirSync(join(dir, 'named values', 'app-key'), { recursive: true });
  writeFileSync(join(dir, 'named values', 'app-key', 'namedValueInformation.json'), JSON.stringify({ properties: { displayName: 'app-key', keyVault: { secretIdentifier: identifier } } }));
  return dir;
}

describe('secret references through a real gatehouse start', { timeout: 120_000 }, () => {
  let gh: GatehouseProcess;
  let management: string;
  let token: string;
  const put = async (name: string, identifier: string) => {
    const res = await fetch(`${management}${service}/namedValues/${name}?api-version=2024-05-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { displayName: name, keyVault: { secretIdentifier: identifier } } }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as any, text };
  };
  const listValue = async (name: string): Promise<string> => {
    const res = await fetch(`${management}${service}/namedValues/${name}/listValue?api-version=2024-05-01`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { value: string }).value;
  };

  before(async () => {
    gh = await startGatehouseProcess(['--secret-env', 'APP_*'], { env: { ...secretEnv, GATEHOUSE_SECRET_FILES: secretsDir } });
    const out = gh.stdout.join('\n');
    management = /management API \(http\): (\S+)/.exec(out)![1]!;
    token = readFileSync(/admin token file: (\S+)/.exec(out)![1]!, 'utf8').trim();
  });
  after(async () => {
    await gh?.stop();
  });

  it('reads the variables and files the options allow', async () => {
    assert.equal((await put('app-key', 'env:APP_KEY')).status, 201);
    assert.equal(await listValue('app-key'), 'allowed-env-secret');
    assert.equal((await put('db-password', `file:${join(secretsDir, 'db-password')}`)).status, 201);
    assert.equal(await listValue('db-password'), 'allowed-file-secret');
  });

  it('refuses the others with 400 ValidationError naming the reference and the option', async () => {
    for (const [identifier, option] of [
      ['env:DB_PASSWORD', /--secret-env \(GATEHOUSE_SECRET_ENV\) DB_PASSWORD/],
      [`file:${join(outsideDir, 'private')}`, /--secret-files \(GATEHOUSE_SECRET_FILES\)/],
    ] as const) {
      const r = await put('closed', identifier);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.ok(r.body.error.details[0].message.includes(`'${identifier}' is not allowed`), r.text);
      assert.match(r.body.error.details[0].message, option);
      assert.ok(!r.text.includes('must-not-leak'));
    }
  });
});

describe('secret references in folders: gatehouse import and start --config', { timeout: 120_000 }, () => {
  it('gatehouse import refuses a closed reference (exit 1, option named, nothing stored) and imports it once allowed', async () => {
    const data = mkdtempSync(join(root, 'import-data-'));
    const folder = folderReading('env:DB_PASSWORD');
    const refused = await runGatehouse(['import', folder, '--data', data], secretEnv);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr + refused.stdout, /named values\/app-key\/namedValueInformation\.json.*'env:DB_PASSWORD' is not allowed.*--secret-env/s);
    assert.ok(!(refused.stderr + refused.stdout).includes('must-not-leak'));
    const allowed = await runGatehouse(['import', folder, '--data', data, '--secret-env', 'DB_PASSWORD'], secretEnv);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.match(allowed.stdout, /namedValue: 1 created/);
    assert.doesNotMatch(allowed.stdout, /warning/);
  });

  it('start --config refuses a folder naming a closed file reference and does not start', async () => {
    const folder = folderReading(`file:${join(outsideDir, 'private')}`);
    const refused = await runGatehouse(['start', '--config', folder, '--data', mkdtempSync(join(root, 'start-data-')), '--gateway-port', '0', '--secret-files', secretsDir], secretEnv);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr + refused.stdout, /'file:[^']*private' is not allowed.*--secret-files/s);
  });

  it('refuses bad option values as usage errors (exit 2)', async () => {
    const folder = folderReading('env:APP_KEY');
    for (const args of [['--secret-env', '*'], ['--secret-env', 'GATEHOUSE_ADMIN_TOKEN'], ['--secret-files', join(root, 'no-such-folder')], ['--secret-files', '/']]) {
      const r = await runGatehouse(['import', folder, '--data', mkdtempSync(join(root, 'usage-')), ...args], secretEnv);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`Invalid ${args[0]}`));
    }
  });
});
