/**
 * Loads an APIOps extractor folder (Azure/apiops layout, reference "Test corpora available
 * publicly") into a ServiceConfig: what `gatehouse start --config DIR` serves. Folders for
 * resources Gatehouse does not model (loggers, diagnostics, tags, gateways, workspaces, …) are
 * accepted and logged once each; anything malformed throws ConfigFolderError naming the file.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { emptyServiceConfig, type ServiceConfig } from '../../model/resources.js';
import { ConfigFolderError } from './config-folder-error.js';
import { dropUndefined } from './drop-undefined.js';
import { FolderContext, type LoadLog } from './folder-context.js';
import { listFolder, pathExists } from './folder-files.js';
import { readPolicyFile } from './policy-file.js';
import { readApis } from './read-apis.js';
import { readBackends } from './read-backends.js';
import { readGroups } from './read-groups.js';
import { readNamedValues } from './read-named-values.js';
import { readPolicyFragments } from './read-policy-fragments.js';
import { readProducts } from './read-products.js';
import { readSubscriptions, type GeneratedKeys } from './read-subscriptions.js';
import { readUsers } from './read-users.js';
import { readVersionSets } from './read-version-sets.js';

export { ConfigFolderError } from './config-folder-error.js';
export type { GeneratedKeys } from './read-subscriptions.js';
export type { LoadLog } from './folder-context.js';

export interface LoadResult {
  config: ServiceConfig;
  /** Subscriptions whose keys were generated because the folder had none (print them once). */
  generatedKeys: GeneratedKeys[];
  /** Paths (relative to the folder) that were accepted but not read. */
  ignored: string[];
}

export interface LoadOptions {
  /** The service name to put in the config (default `gatehouse`). */
  serviceName?: string;
}

const readFolders = ['apis', 'products', 'subscriptions', 'named values', 'backends', 'policy fragments', 'version sets', 'groups', 'users'];

/** Loads the folder at `dir`; `log` receives one line per ignored item and per notice. */
export async function loadApiopsFolder(dir: string, log: LoadLog, options: LoadOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigFolderError(root, 'is not a folder');
  const ctx = new FolderContext(root, log);
  const config = emptyServiceConfig(options.serviceName ?? 'gatehouse');

  const entries = await listFolder(ctx, root);
  for (const f of entries.folders) if (!readFolders.includes(f)) ctx.ignore(join(root, f), `folder not read (${f} are not part of Gatehouse's model)`);
  for (const f of entries.files) if (f !== 'policy.xml') ctx.ignore(join(root, f), 'file not read');

  const sub = async <T>(name: string, read: (dir: string) => Promise<T[]>): Promise<T[]> =>
    (await pathExists(join(root, name))) ? read(join(root, name)) : [];

  config.globalPolicy = await readPolicyFile(ctx, join(root, 'policy.xml'));
  config.versionSets = await sub('version sets', (d) => readVersionSets(ctx, d));
  config.namedValues = await sub('named values', (d) => readNamedValues(ctx, d));
  config.backends = await sub('backends', (d) => readBackends(ctx, d));
  config.policyFragments = await sub('policy fragments', (d) => readPolicyFragments(ctx, d));
  const groups = (await pathExists(join(root, 'groups'))) ? await readGroups(ctx, join(root, 'groups')) : undefined;
  config.users = await sub('users', (d) => readUsers(ctx, d));
  config.apis = await sub('apis', (d) => readApis(ctx, d, config.versionSets));
  config.products = await sub('products', (d) => readProducts(ctx, d, config.apis, groups));
  let generatedKeys: GeneratedKeys[] = [];
  if (await pathExists(join(root, 'subscriptions'))) {
    const read = await readSubscriptions(ctx, join(root, 'subscriptions'), config.apis, config.products);
    config.subscriptions = read.subscriptions;
    generatedKeys = read.generatedKeys;
  }
  return { config: dropUndefined(config), generatedKeys, ignored: ctx.ignored };
}
