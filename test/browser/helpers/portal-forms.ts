/**
 * The developer portal's start: its URL as `gatehouse start` prints it, and the sign-up form
 * filled and sent, shared by the portal's browser tests (issue 18).
 */
import type { Page } from 'playwright-core';
import type { GatehouseProcess } from '../../e2e/helpers/gatehouse-process.js';

/** The portal URL `start` printed. */
export function portalUrlOf(gh: GatehouseProcess): string {
  const url = /developer portal: (\S+)/.exec(gh.stdout.join('\n'))?.[1];
  if (!url) throw new Error(`gatehouse start printed no developer portal URL:\n${gh.stdout.join('\n')}`);
  return url;
}

/** Fills the sign-up form and sends it. */
export async function signUpOnThePage(page: Page, who: { email: string; firstName: string; lastName: string; password: string; repeated?: string }): Promise<void> {
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('First name').fill(who.firstName);
  await page.getByLabel('Last name').fill(who.lastName);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Repeat the password').fill(who.repeated ?? who.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
}
