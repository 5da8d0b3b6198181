/** A bounded wait for a condition in end-to-end tests: polling, never a sleep as synchronisation. */
import assert from 'node:assert/strict';
import type { GatehouseProcess } from './gatehouse-process.js';

/** Polls `probe` until it returns true; fails after `ms`, with the process's state when given. */
export async function waitFor(what: string, probe: () => boolean | Promise<boolean>, gh?: GatehouseProcess, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}${gh ? `; gatehouse exit code ${gh.child.exitCode}, signal ${gh.child.signalCode}, stderr:\n${gh.stderr.join('')}` : ''}`);
}
