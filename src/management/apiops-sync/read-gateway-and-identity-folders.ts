/**
 * Reads the folders of self-hosted gateways and identity records of an APIOps folder:
 *
 * - `gateways/<g>/gatewayInformation.json`, the gateway's APIs from the extractor's
 *   `gateways/<g>/apis.json` (`[{ "name": … }]`) or its newer
 *   `gateways/<g>/apis/<a>/gatewayApiInformation.json`, the hostname configurations
 *   (`gateways/<g>/hostnameConfigurations/<h>/gatewayHostnameConfigurationInformation.json`)
 *   and certificate authorities
 *   (`gateways/<g>/certificateAuthorities/<c>/gatewayCertificateAuthorityInformation.json`),
 *   which the extractor does not write; Gatehouse's export does;
 * - `authorizationServers/<n>/authorizationServerInformation.json` (the extractor's layout),
 *   `identityProviders/<type>/identityProviderInformation.json` and
 *   `openidConnectProviders/<n>/openidConnectProviderInformation.json` (Gatehouse's export).
 */
import { join } from 'node:path';
import type { FolderContext } from '../apiops/folder-context.js';
import { listFolder, pathExists } from '../apiops/folder-files.js';
import { collectionFolders, informationFiles } from './folder-paths.js';
import type { PlannedWrite } from './import-plan.js';
import { readCollection, readLinks, readRaw } from './read-import-folder.js';

/** A gateway's sub-collections read from its folder, with their information files (the API links are read apart). */
const gatewayChildren = [
  ['hostnameConfigurations', informationFiles.gatewayHostnameConfiguration],
  ['certificateAuthorities', informationFiles.gatewayCertificateAuthority],
] as const;
const gatewayParts = ['apis', ...gatewayChildren.map(([folder]) => folder)];

/** Every gateway, each followed by its hostname configurations, certificate authorities and API links. */
export async function readGateways(ctx: FolderContext, root: string): Promise<PlannedWrite[]> {
  const out: PlannedWrite[] = [];
  const gatewaysDir = join(root, collectionFolders.gateways);
  for (const gateway of await readCollection(ctx, root, collectionFolders.gateways, informationFiles.gateway, 'gateways')) {
    const { folder, ...write } = gateway;
    const dir = join(gatewaysDir, folder);
    const name = write.segments[1]!;
    out.push(write);
    for (const [collection, infoFile] of gatewayChildren) {
      const childrenDir = join(dir, collection);
      if (!(await pathExists(ctx, childrenDir))) continue;
      for (const child of (await listFolder(ctx, childrenDir)).folders) {
        const info = await readRaw(ctx, join(childrenDir, child, infoFile));
        out.push({ file: info.file, segments: ['gateways', name, collection, info.name ?? child], properties: info.properties });
      }
    }
    out.push(...(await readLinks(ctx, dir, ['gateways', name], 'apis', informationFiles.gatewayApi)));
    for (const f of (await listFolder(ctx, dir)).folders) if (!gatewayParts.includes(f)) ctx.ignore(join(dir, f), 'folder not read');
  }
  return out;
}

/** Identity providers, authorization servers and OpenID Connect providers. */
export async function readIdentityRecords(ctx: FolderContext, root: string): Promise<PlannedWrite[]> {
  const collections = [
    [collectionFolders.identityProviders, informationFiles.identityProvider, 'identityProviders'],
    [collectionFolders.authorizationServers, informationFiles.authorizationServer, 'authorizationServers'],
    [collectionFolders.openidConnectProviders, informationFiles.openidConnectProvider, 'openidConnectProviders'],
  ] as const;
  const out: PlannedWrite[] = [];
  for (const [folder, file, chain] of collections) {
    for (const { folder: _folder, ...write } of await readCollection(ctx, root, folder, file, chain)) out.push(write);
  }
  return out;
}
