/**
 * A build older than its sources is detected (issue 13: an end-to-end run on a stale dist/
 * passed with the change it should have caught). The project here is a temporary folder with
 * src/, dist/, tsconfig.json and package.json whose modification times the test sets.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { staleBuildReasons, staleWebReasons } from '../../scripts/dist-freshness.mjs';
import { assertBuildIsFresh } from '../e2e/helpers/gatehouse-process.js';

const buildTime = new Date('2026-01-01T12:00:00Z');
const beforeBuild = new Date('2026-01-01T11:00:00Z');
const afterBuild = new Date('2026-01-01T13:00:00Z');

/** A project built at `buildTime` from sources written before it. */
function builtProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-freshness-'));
  const write = (path: string, text: string, time: Date) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    utimesSync(join(root, path), time, time);
  };
  write('tsconfig.json', '{}', beforeBuild);
  write('package.json', '{}', beforeBuild);
  write('src/main/cli.ts', 'export const a = 1;', beforeBuild);
  write('src/gateway/hop-by-hop.ts', 'export const b = 1;', beforeBuild);
  write('src/core/types.d.ts', 'export type T = 1;', beforeBuild);
  write('dist/main/cli.js', 'export const a = 1;', buildTime);
  write('dist/gateway/hop-by-hop.js', 'export const b = 1;', buildTime);
  return root;
}

function touch(root: string, path: string, time = afterBuild): void {
  utimesSync(join(root, path), time, time);
}

describe('staleBuildReasons', () => {
  it('finds nothing when every output is newer than its source (declaration files have none)', () => {
    const root = builtProject();
    assert.deepEqual(staleBuildReasons(root), []);
    rmSync(root, { recursive: true });
  });

  it('names a source edited after the build', () => {
    const root = builtProject();
    touch(root, 'src/gateway/hop-by-hop.ts');
    assert.deepEqual(staleBuildReasons(root), ['src/gateway/hop-by-hop.ts → dist/gateway/hop-by-hop.js: source changed after the build']);
    rmSync(root, { recursive: true });
  });

  it('names a source that was never built, and a missing dist/', () => {
    const root = builtProject();
    writeFileSync(join(root, 'src/gateway/new-module.ts'), 'export {};');
    assert.deepEqual(staleBuildReasons(root), ['src/gateway/new-module.ts → dist/gateway/new-module.js: not built']);
    rmSync(join(root, 'dist'), { recursive: true });
    assert.equal(staleBuildReasons(root).length, 3, 'three sources, none built');
    rmSync(root, { recursive: true });
  });

  it('names tsconfig.json or package.json changed after the build', () => {
    const root = builtProject();
    touch(root, 'tsconfig.json');
    assert.deepEqual(staleBuildReasons(root), ['tsconfig.json: changed after the build']);
    touch(root, 'tsconfig.json', beforeBuild);
    touch(root, 'package.json');
    assert.deepEqual(staleBuildReasons(root), ['package.json: changed after the build']);
    rmSync(root, { recursive: true });
  });
});

describe('staleWebReasons (the console bundles scripts/build-web.mjs makes)', () => {
  /** builtProject() plus a console under web/ bundled at `buildTime`. */
  function projectWithConsole(): string {
    const root = builtProject();
    for (const [path, time] of [['web/admin/main.tsx', beforeBuild], ['web/admin/styles.css', beforeBuild], ['tsconfig.web.json', beforeBuild], ['dist/web/admin/manifest.json', buildTime]] as const) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), '{}');
      utimesSync(join(root, path), time, time);
    }
    return root;
  }

  it('finds nothing when the bundle is newer than every file of the console', () => {
    const root = projectWithConsole();
    assert.deepEqual(staleBuildReasons(root), []);
    rmSync(root, { recursive: true });
  });

  it('names a console file (a style sheet too) or the web build settings changed after the bundle', () => {
    const root = projectWithConsole();
    touch(root, 'web/admin/styles.css');
    assert.deepEqual(staleWebReasons(root), ['web/admin/styles.css → dist/web/admin/manifest.json: changed after the build']);
    assert.deepEqual(staleBuildReasons(root), staleWebReasons(root), 'dist/ as a whole is stale then');
    touch(root, 'web/admin/styles.css', beforeBuild);
    touch(root, 'tsconfig.web.json');
    assert.deepEqual(staleWebReasons(root), ['tsconfig.web.json → dist/web/admin/manifest.json: changed after the build']);
    rmSync(root, { recursive: true });
  });

  it('names a console that was never bundled', () => {
    const root = projectWithConsole();
    rmSync(join(root, 'dist/web'), { recursive: true });
    assert.deepEqual(staleWebReasons(root), ['web/admin → dist/web/admin/manifest.json: not built']);
    rmSync(root, { recursive: true });
  });
});

describe('the e2e process helper', () => {
  it('refuses to start the CLI from a stale build, naming the source and the command to run', () => {
    const root = builtProject();
    touch(root, 'src/main/cli.ts');
    assert.throws(() => assertBuildIsFresh(root), (err: Error) => {
      assert.match(err.message, /dist\/ is older than src\//);
      assert.match(err.message, /src\/main\/cli\.ts → dist\/main\/cli\.js: source changed after the build/);
      assert.match(err.message, /npm run build/);
      return true;
    });
    // Rebuilt: every output newer than its source again.
    const rebuilt = new Date(afterBuild.getTime() + 60_000);
    for (const output of ['dist/main/cli.js', 'dist/gateway/hop-by-hop.js']) touch(root, output, rebuilt);
    assert.doesNotThrow(() => assertBuildIsFresh(root));
    rmSync(root, { recursive: true });
  });
});
