/** Reads `products/<p>/`: productInformation.json, policy.xml, API and group links (reference §5.2 "Product"). */
import { join } from 'node:path';
import { apiBaseName, type Api, type Product } from '../../model/resources.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import { readPolicyFile } from './policy-file.js';
import type { JsonFields } from './json-fields.js';
import { readProductLinks } from './read-product-links.js';
import { builtInGroups } from './read-groups.js';
import { UniqueNames } from './unique-names.js';

const readEntries = ['productInformation.json', 'policy.xml', 'apis', 'apis.json', 'groups', 'groups.json'];

/**
 * Reads every product folder. Links to unknown APIs are errors; links to groups that have no
 * folder are logged only (extracts often leave groups out, and groups only gate visibility).
 */
export async function readProducts(
  ctx: FolderContext,
  dir: string,
  apis: readonly Api[],
  groups: readonly string[] | undefined,
): Promise<Product[]> {
  const apiNames = new Set(apis.map((a) => apiBaseName(a.name)));
  const out: Product[] = [];
  const names = new UniqueNames('product');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const productDir = join(dir, folder);
    const info = await readInformationFile(ctx, join(productDir, 'productInformation.json'));
    const p = info.properties;
    const name = resourceName(info, folder);
    names.claim(name, info.file);

    const product = productFromProperties(name, p);

    for (const link of await readProductLinks(ctx, productDir, 'apis')) {
      const api = apiBaseName(link.name);
      if (!apiNames.has(api)) throw new ConfigFolderError(link.file, `product '${name}' links API '${api}', which has no folder under 'apis/'`);
      if (!product.apis.includes(api)) product.apis.push(api);
    }
    for (const link of await readProductLinks(ctx, productDir, 'groups')) {
      if (groups && !groups.includes(link.name) && !builtInGroups.includes(link.name)) {
        ctx.log(`${link.file}: product '${name}' links group '${link.name}', which has no folder under 'groups/'`);
      }
      if (!product.groups.includes(link.name)) product.groups.push(link.name);
    }
    const policy = await readPolicyFile(ctx, join(productDir, 'policy.xml'));
    if (policy) product.policy = policy;

    const entries = await listFolder(ctx, productDir);
    for (const e of [...entries.folders, ...entries.files]) {
      if (!readEntries.includes(e)) ctx.ignore(join(productDir, e), 'not read');
    }
    out.push(product);
  }
  return out;
}

/** A product's own properties (ARM `properties`) → the model, without its links and policy. */
export function productFromProperties(name: string, p: JsonFields): Product {
  const limit = p.raw('subscriptionsLimit');
  if (limit !== undefined && limit !== null) p.integer('subscriptionsLimit');
  return {
    name,
    displayName: p.requiredString('displayName', true),
    description: p.string('description'),
    terms: p.string('terms'),
    // Reference §5.2: omitted subscriptionRequired means a protected product.
    subscriptionRequired: p.boolean('subscriptionRequired') ?? true,
    approvalRequired: p.boolean('approvalRequired'),
    subscriptionsLimit: limit === undefined ? undefined : (limit as number | null),
    state: p.enumValue('state', ['notPublished', 'published'] as const) ?? 'notPublished',
    apis: [],
    groups: [],
  };
}
