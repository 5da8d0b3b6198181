/**
 * The `gatehouse-typical-undici6` arm's machinery (bench/arms/undici6-*.mjs): the hook refuses to
 * start without undici 6, hands undici 6 to Gatehouse's built code only (the other importers keep
 * their own undici, the product's 7), and the arm refuses a Gatehouse whose gateway process did
 * not announce undici 6. The parts needing undici 6 run where it is installed (the `undici6`
 * alias, or GATEHOUSE_BENCH_UNDICI6_DIR) and always in CI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startGatehouse } from '../../bench/arms/gatehouse-launcher.js';
import { typicalConfigFiles } from '../../bench/arms/gatehouse-typical.js';
import { verifyGatewayRunsUndici6 } from '../../bench/arms/gatehouse-typical-undici6.js';
import { parseRedirectLine, undici6DirVariable, undici6Installed } from '../../bench/arms/undici6-package.mjs';
import { writeApiopsFiles } from '../../bench/harness/apiops-folder.js';
import { runToCompletion } from '../../bench/harness/process-launcher.js';

const root = new URL('../..', import.meta.url).pathname;
const hook = join(root, 'bench', 'arms', 'undici6-hook.mjs');
const inCi = process.env.CI === 'true';
const needsUndici6 = !inCi && !undici6Installed(root) ? `undici 6 is not installed (npm alias undici6, or ${undici6DirVariable})` : false;

/** Runs `script` (an ES module) with the hook imported, from the repository root. */
function withHook(script: string, env: NodeJS.ProcessEnv = {}) {
  return runToCompletion(process.execPath, ['--import', hook, '--input-type=module', '-e', script], { cwd: root, env, timeoutMs: 60_000 });
}

describe('undici 6 bench arm', () => {
  it('refuses to start without undici 6 and says how to install it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-undici6-'));
    try {
      const missing = await withHook('', { [undici6DirVariable]: empty });
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /npm install -D undici6@npm:undici@\^6/);
      const seven = await withHook('', { [undici6DirVariable]: join(root, 'node_modules', 'undici') });
      assert.notEqual(seven.code, 0);
      assert.match(seven.stderr, /is undici@7\.[^ ]*, not undici 6/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('gives undici 6 to dist/ and leaves every other importer its own undici', { skip: needsUndici6 }, async () => {
    // dist/'s BackendTransports builds its Agent from its own `undici` import: an instance of
    // undici 6's Agent, not of the one an importer outside dist/ gets.
    const script = `
      const { locateUndici6 } = await import('./bench/arms/undici6-package.mjs');
      const { BackendTransports } = await import('./dist/gateway/backend-transports.js');
      const six = await import(locateUndici6(process.cwd()).entryUrl);
      const own = await import('undici');
      const transports = new BackendTransports({ connections: 1, keepAliveTimeout: 1000 });
      console.log(JSON.stringify({ six: transports.plain instanceof six.Agent, own: transports.plain instanceof own.Agent }));
      await transports.close();`;
    const result = await withHook(script);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const redirect = parseRedirectLine(lines[0]!);
    assert.ok(redirect, `first line is not the hook's: ${lines[0]}`);
    assert.match(redirect.version, /^6\./);
    assert.match(redirect.importer, /^dist\/gateway\/backend-[a-z]+\.js$/);
    assert.deepEqual(JSON.parse(lines[1]!), { six: true, own: false });
    assert.equal(lines.length, 2, 'the hook announces once per process');
  });

  it('refuses a Gatehouse whose gateway process did not announce undici 6', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'undici6-arm-'));
    const config = writeApiopsFiles(join(work, 'config'), typicalConfigFiles('http://127.0.0.1:9'));
    const gh = await startGatehouse(root, config, join(work, 'data'), () => undefined);
    try {
      await assert.rejects(verifyGatewayRunsUndici6(gh), /gateway process \(pid \d+\) did not load undici 6 through the hook \(redirects seen: none\)/);
    } finally {
      await gh.process.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('accepts a Gatehouse started with the hook: its gateway process runs undici 6', { skip: needsUndici6, timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'undici6-arm-'));
    const config = writeApiopsFiles(join(work, 'config'), typicalConfigFiles('http://127.0.0.1:9'));
    const gh = await startGatehouse(root, config, join(work, 'data'), () => undefined, { nodeArgs: ['--import', hook] });
    try {
      await verifyGatewayRunsUndici6(gh);
    } finally {
      await gh.process.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
