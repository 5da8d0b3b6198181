/**
 * Arm `gatehouse-typical-undici7`: exactly the typical set of gatehouse-typical.ts (same
 * configuration, access log and metrics, one gateway process), but with the gateway's `undici`
 * imports resolved to undici 7 by a module hook (undici7-hook.mjs), for issue 19's "measure it
 * as an arm of its own". The product stays on undici 6; undici 7 comes from the `undici7` npm
 * alias (devDependency). The arm refuses to run unless the gateway process itself announced
 * undici 7, so a hook that silently did nothing cannot pass for a measurement.
 */
import { fileURLToPath } from 'node:url';
import type { GatehouseInstance } from './gatehouse-launcher.js';
import { typicalGatehouseArm } from './gatehouse-typical.js';
import { locateUndici7, parseRedirectLine, undici7Installed } from './undici7-package.mjs';

const hookFile = fileURLToPath(new URL('./undici7-hook.mjs', import.meta.url));
const gatewayPidPattern = /gateway process: pid (\d+)/;
const bannerWaitMs = 5_000;

/** `--import` of the hook, once undici 7 is found (throws saying how to install it otherwise). */
function undici7NodeArgs(root: string): string[] {
  locateUndici7(root);
  return ['--import', hookFile];
}

/** The gateway process's pid from the start banner, waiting briefly for the line. */
async function gatewayPid(gh: GatehouseInstance): Promise<number> {
  const deadline = Date.now() + bannerWaitMs;
  for (;;) {
    for (const line of gh.process.stdoutLines) {
      const m = gatewayPidPattern.exec(line);
      if (m) return Number(m[1]);
    }
    if (Date.now() > deadline) throw new Error(`gatehouse-typical-undici7: no 'gateway process: pid N' line in Gatehouse's banner:\n${gh.process.stdoutLines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Throws unless the gateway process (not only the start process) announced it imports undici 7. */
export async function verifyGatewayRunsUndici7(gh: GatehouseInstance): Promise<void> {
  const pid = await gatewayPid(gh);
  const redirects = gh.process.stdoutLines.map(parseRedirectLine).filter((r) => r !== null);
  const own = redirects.find((r) => r.pid === pid);
  if (own === undefined || !own.version.startsWith('7.')) {
    const seen = redirects.map((r) => `pid ${r.pid}: undici ${r.version}`).join(', ') || 'none';
    throw new Error(`gatehouse-typical-undici7: the gateway process (pid ${pid}) did not load undici 7 through the hook (redirects seen: ${seen})`);
  }
}

export const gatehouseTypicalUndici7Arm = typicalGatehouseArm({
  id: 'gatehouse-typical-undici7',
  label: 'Gatehouse, typical set, undici 7',
  description:
    'The typical set exactly as gatehouse-typical (one gateway process, access log to /dev/null and metrics on), with the gateway\'s `undici` imports resolved to undici 7 ' +
    '(npm alias `undici7`, `node --import bench/arms/undici7-hook.mjs`) instead of the product\'s undici 6.',
  notes: ['undici 7 vs 6: the same build of Gatehouse; only the HTTP client the gateway forwards with differs. The arm checks the gateway process announced undici 7 before it is measured.'],
  available: undici7Installed,
  nodeArgs: undici7NodeArgs,
  verifyStarted: verifyGatewayRunsUndici7,
});
