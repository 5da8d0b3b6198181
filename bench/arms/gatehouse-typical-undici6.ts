/**
 * Arm `gatehouse-typical-undici6`: exactly the typical set of gatehouse-typical.ts (same
 * configuration, access log and metrics, one gateway process), but with the gateway's `undici`
 * imports resolved to undici 6 by a module hook (undici6-hook.mjs). The product moved to undici 7
 * (issue 19: it was faster); this arm keeps the other side of that comparison measurable.
 * undici 6 comes from the `undici6` npm alias (devDependency). The arm refuses to run unless the
 * gateway process itself announced undici 6, so a hook that silently did nothing cannot pass for
 * a measurement.
 */
import { fileURLToPath } from 'node:url';
import type { GatehouseInstance } from './gatehouse-launcher.js';
import { typicalGatehouseArm } from './gatehouse-typical.js';
import { locateUndici6, parseRedirectLine, undici6Installed } from './undici6-package.mjs';

const hookFile = fileURLToPath(new URL('./undici6-hook.mjs', import.meta.url));
const gatewayPidPattern = /gateway process: pid (\d+)/;
const bannerWaitMs = 5_000;

/** `--import` of the hook, once undici 6 is found (throws saying how to install it otherwise). */
function undici6NodeArgs(root: string): string[] {
  locateUndici6(root);
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
    if (Date.now() > deadline) throw new Error(`gatehouse-typical-undici6: no 'gateway process: pid N' line in Gatehouse's banner:\n${gh.process.stdoutLines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Throws unless the gateway process (not only the start process) announced it imports undici 6. */
export async function verifyGatewayRunsUndici6(gh: GatehouseInstance): Promise<void> {
  const pid = await gatewayPid(gh);
  const redirects = gh.process.stdoutLines.map(parseRedirectLine).filter((r) => r !== null);
  const own = redirects.find((r) => r.pid === pid);
  if (own === undefined || !own.version.startsWith('6.')) {
    const seen = redirects.map((r) => `pid ${r.pid}: undici ${r.version}`).join(', ') || 'none';
    throw new Error(`gatehouse-typical-undici6: the gateway process (pid ${pid}) did not load undici 6 through the hook (redirects seen: ${seen})`);
  }
}

export const gatehouseTypicalUndici6Arm = typicalGatehouseArm({
  id: 'gatehouse-typical-undici6',
  label: 'Gatehouse, typical set, undici 6',
  description:
    'The typical set exactly as gatehouse-typical (one gateway process, access log to /dev/null and metrics on), with the gateway\'s `undici` imports resolved to undici 6 ' +
    '(npm alias `undici6`, `node --import bench/arms/undici6-hook.mjs`) instead of the product\'s undici 7.',
  notes: ['undici 7 vs 6: the same build of Gatehouse; only the HTTP client the gateway forwards with differs. The arm checks the gateway process announced undici 6 before it is measured.'],
  available: undici6Installed,
  nodeArgs: undici6NodeArgs,
  verifyStarted: verifyGatewayRunsUndici6,
});
