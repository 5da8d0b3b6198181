/**
 * The folder and environment the documentation examples run in, as the docs describe a reader's
 * shell (README.md, "The examples in these docs"):
 *
 * - the working folder is where `gatehouse start` was run, so `.gatehouse/admin-token` and
 *   `.gatehouse/management-dev.crt` are that Gatehouse's files; it runs on free ports, and
 *   GATEWAY_URL, MANAGEMENT_URL, MANAGEMENT_HTTPS_URL, TOKEN and KEY hold what it printed;
 * - `gatehouse` on the PATH is this checkout's bin/gatehouse.js (what `npm install -g .` links);
 *   node_modules is the checkout's, as after the docs' `npm install` lines;
 * - the reader's own files that examples name: `my-apim-artifacts` and `apim-artifacts` (an
 *   APIOps folder: the repository's sample fixture) and `petstore.json` (an OpenAPI document);
 * - blocks that start their own Gatehouse get free ports and a data folder of their own through
 *   the GATEHOUSE_* environment twins, so they never disturb the one the other examples call,
 *   and one gateway process each unless the block says `--workers`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, startGatehouseProcess, testStartEnvironment, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { curlWrapper } from './example-runner.js';

const root = new URL('../..', import.meta.url).pathname;
const fixtures = new URL('./fixtures/', import.meta.url).pathname;

export interface ExampleSandbox {
  /** The reader's working folder. */
  dir: string;
  env: NodeJS.ProcessEnv;
  gatehouse: GatehouseProcess;
  close(): Promise<void>;
}

/** Finds a line of the banner and returns its first capture. */
function printed(gatehouse: GatehouseProcess, pattern: RegExp): string {
  const m = pattern.exec(gatehouse.stdout.join('\n'));
  if (!m) throw new Error(`gatehouse start did not print ${pattern}:\n${gatehouse.stdout.join('\n')}`);
  return m[1]!;
}

/** Creates the folder, starts Gatehouse in it and returns the examples' environment. */
export async function createExampleSandbox(): Promise<ExampleSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-docs-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  symlinkSync(cliPath, join(bin, 'gatehouse'));
  const realCurl = execFileSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'curl'), curlWrapper(realCurl));
  chmodSync(join(bin, 'curl'), 0o755);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const name of ['my-apim-artifacts', 'apim-artifacts']) cpSync(join(root, 'test', 'fixtures', 'apiops', 'sample'), join(dir, name), { recursive: true });
  cpSync(join(fixtures, 'petstore.json'), join(dir, 'petstore.json'));

  const gatehouse = await startGatehouseProcess(['--data', join(dir, '.gatehouse')], { cwd: dir });
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      GATEWAY_URL: gatehouse.gatewayUrl,
      MANAGEMENT_URL: printed(gatehouse, /management API \(http\): (\S+)/),
      MANAGEMENT_HTTPS_URL: printed(gatehouse, /management API \(https\): (\S+)/),
      TOKEN: readFileSync(join(dir, '.gatehouse', 'admin-token'), 'utf8').trim(),
      KEY: printed(gatehouse, /sample subscription key \(product 'starter'\): (\S+)/),
      NODE_EXTRA_CA_CERTS: join(dir, '.gatehouse', 'management-dev.crt'),
      // For the examples that start a Gatehouse of their own.
      GATEHOUSE_DATA: join(dir, 'examples-data'),
      GATEHOUSE_GATEWAY_PORT: '0',
      ...testStartEnvironment,
      GATEHOUSE_LOG_LEVEL: 'warn',
    };
    return {
      dir,
      env,
      gatehouse,
      close: async () => {
        await gatehouse.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await gatehouse.stop();
    throw err;
  }
}
