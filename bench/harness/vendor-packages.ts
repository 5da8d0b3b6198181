/**
 * The gateways compared against are installed from npm into bench/vendor/<folder>/ (gitignored),
 * one folder per gateway so their dependency trees never meet, at the exact versions of issue 6.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToCompletion } from './process-launcher.js';

/** The folder a vendored package lives in. */
export function vendorDir(root: string, folder: string): string {
  return join(root, 'bench', 'vendor', folder);
}

/** Whether `name@version` is installed in bench/vendor/<folder>/. */
export function isVendored(root: string, folder: string, name: string, version: string): boolean {
  const manifest = join(vendorDir(root, folder), 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version === version;
}

/** Installs `name@version` into bench/vendor/<folder>/ unless it is there; returns the folder. */
export async function ensureVendored(root: string, folder: string, name: string, version: string, install: boolean, log: (line: string) => void): Promise<string> {
  const dir = vendorDir(root, folder);
  if (isVendored(root, folder, name, version)) return dir;
  if (!install) throw new Error(`${name}@${version} is not installed in bench/vendor/${folder}; run without --no-install to let the harness install it`);
  mkdirSync(dir, { recursive: true });
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, JSON.stringify({ name: `bench-vendor-${folder}`, private: true }, null, 2) + '\n');
  log(`installing ${name}@${version} into bench/vendor/${folder} (npm)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = await runToCompletion(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', `${name}@${version}`], { cwd: dir, timeoutMs: 600_000 });
  if (result.code !== 0 || !isVendored(root, folder, name, version)) throw new Error(`npm install ${name}@${version} failed:\n${result.stderr}`);
  return dir;
}
