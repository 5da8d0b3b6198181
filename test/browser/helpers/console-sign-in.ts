/** The admin console opened in a new page of a browser context and signed in with the admin token (issue 18). */
import type { BrowserContext, Page } from 'playwright-core';
import type { AdminConsoleTarget } from '../../e2e/helpers/admin-console-target.js';

/** Opens the console in a new page and signs in; the dashboard is the first page. */
export async function signedInConsolePage(context: BrowserContext, target: AdminConsoleTarget): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(target.consoleUrl);
  await page.getByLabel('Admin token').fill(target.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  return page;
}
