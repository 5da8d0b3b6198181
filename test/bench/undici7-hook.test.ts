/**
 * The `gatehouse-typical-undici7` arm's machinery (bench/arms/undici7-*.mjs): the hook refuses to
 * start without undici 7, hands undici 7 to Gatehouse's built code only (the other importers keep
 * their own undici), and the arm refuses a Gatehouse whose gateway process did not announce
 * undici 7. The parts needing undici 7 run where it is installed (the `undici7` alias, or
 * GATEHOUSE_BENCH_UNDICI7_DIR) and always in CI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startGatehouse } from '../../bench/arms/gatehouse-launcher.js';
import { typicalConfigFiles } from '../../bench/arms/gatehouse-typical.js';
import { verifyGatewayRunsUndici7 } from '../../bench/arms/gatehouse-typical-undici7.js';
import { parseRedirectLine, undici7DirVariable, undici7Installed } from '../../bench/arms/undici7-package.mjs';
import { writeApiopsFiles } from '../../bench/harness/apiops-folder.js';
import { runToCompletion } from '../../bench/harness/process-launcher.js';

const root = new URL('../..', import.meta.url).pathname;
const hook = join(root, 'bench', 'arms', 'undici7-hook.mjs');
const inCi = process.env.CI === 'true';
const needsUndici7 = !inCi && !undici7Installed(root) ? `undici 7 is not installed (npm alias undici7, or ${undici7DirVariable})` : false;

/** Runs `script` (an ES module) with the hook imported, from the repository root. */
function withHook(script: string, env: NodeJS.ProcessEnv = {}) {
  return runToCompletion(process.execPath, ['--import', hook, '--input-type=module', '-e', script], { cwd: root, env, timeoutMs: 60_000 });
}

describe('undici 7 bench arm', () => {
  it('refuses to start without undici 7 and says how to install it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-undici7-'));
    try {
      const missing = await withHook('', { [undici7DirVariable]: empty });
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /npm install -D undici7@npm:undici@\^7/);
      const six = await withHook('', { [undici7DirVariable]: join(root, 'node_modules', 'undici') });
      assert.notEqual(six.code, 0);
      assert.match(six.stderr, /is undici@6\.[^ ]*, not undici 7/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('gives undici 7 to dist/ and leaves every other importer its own undici', { skip: needsUndici7 }, async () => {
    // dist/'s BackendTransports builds its Agent from its own `undici` import: an instance of
    // undici 7's Agent, not of the one an importer outside dist/ gets.
    const script = `
      const { locateUndici7 } = await import('./bench/arms/undici7-package.mjs');
      const { BackendTransports } = await import('./dist/gateway/backend-transports.js');
      const seven = await import(locateUndici7(process.cwd()).entryUrl);
      const own = await import('undici');
      const transports = new BackendTransports({ connections: 1, keepAliveTimeout: 1000 });
      console.log(JSON.stringify({ seven: transports.plain instanceof seven.Agent, own: transports.plain instanceof own.Agent }));
      await transports.close();`;
    const result = await withHook(script);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const redirect = parseRedirectLine(lines[0]!);
    assert.ok(redirect, `first line is not the hook's: ${lines[0]}`);
    assert.match(redirect.version, /^7\./);
    assert.match(redirect.importer, /^dist\/gateway\/backend-[a-z]+\.js$/);
    assert.deepEqual(JSON.parse(lines[1]!), { seven: true, own: false });
    assert.equal(lines.length, 2, 'the hook announces once per process');
  });

  it('refuses a Gatehouse whose gateway process did not announce undici 7', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'undici7-arm-'));
    const config = writeApiopsFiles(join(work, 'config'), typicalConfigFiles('http://127.0.0.1:9'));
    const gh = await startGatehouse(root, config, join(work, 'data'), () => undefined);
    try {
      await assert.rejects(verifyGatewayRunsUndici7(gh), /gateway process \(pid \d+\) did not load undici 7 through the hook \(redirects seen: none\)/);
    } finally {
      await gh.process.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('accepts a Gatehouse started with the hook: its gateway process runs undici 7', { skip: needsUndici7, timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'undici7-arm-'));
    const config = writeApiopsFiles(join(work, 'config'), typicalConfigFiles('http://127.0.0.1:9'));
    const gh = await startGatehouse(root, config, join(work, 'data'), () => undefined, { nodeArgs: ['--import', hook] });
    try {
      await verifyGatewayRunsUndici7(gh);
    } finally {
      await gh.process.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
