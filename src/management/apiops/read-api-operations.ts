/**
 * An API's operations: from its OpenAPI specification, or, when the folder has
 * `operations/<op>/operationInformation.json` files, from those instead. Each
 * `operations/<op>/policy.xml` becomes that operation's policy.
 */
import { join } from 'node:path';
import { operationRouteKey } from '../../model/operation-route-key.js';
import type { Operation } from '../../model/resources.js';
import {
  OpenApiError,
  operationsFromSpecification,
  type RequiredQueryParameters,
} from '../openapi/operations-from-specification.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { listFolder, pathExists, readText } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import { parseOperationContract } from './parse-operation-contract.js';
import { readPolicyFile } from './policy-file.js';
import { readXmlSpecificationFile } from './read-xml-specification-file.js';

/** The specification files the extractor writes, by kind (Azure/apiops ApiSpecification). */
const openApiFiles: Record<string, 'yaml' | 'json'> = {
  'specification.yaml': 'yaml',
  'specification.yml': 'yaml',
  'specification.json': 'json',
};
/** WSDL (SOAP pass-through) and WADL documents, read by api-specification/read-xml-specification.ts. */
const xmlSpecificationFiles: Readonly<Record<string, 'wsdl' | 'wadl'>> = {
  'specification.wadl': 'wadl',
  'specification.wsdl': 'wsdl',
};
const otherSpecifications: Record<string, string> = {
  'specification.graphql': 'GraphQL',
  'specification.xml': 'OData',
};

/** Every file name that is an API specification. */
const specificationFileNames: readonly string[] = [...Object.keys(openApiFiles), ...Object.keys(xmlSpecificationFiles), ...Object.keys(otherSpecifications)];

/** Skips each folder under the API's `operations/` with one log line: the API has no operations to give them. */
export async function ignoreOperationFolders(ctx: FolderContext, apiDir: string, reason: string): Promise<void> {
  const opsDir = join(apiDir, 'operations');
  if (!(await pathExists(ctx, opsDir))) return;
  for (const folder of (await listFolder(ctx, opsDir)).folders) ctx.ignore(join(opsDir, folder), reason);
}

/** Reads the operations of the API in `apiDir`. */
export async function readApiOperations(
  ctx: FolderContext,
  apiDir: string,
  apiFiles: readonly string[],
  requiredQueryParameters: RequiredQueryParameters,
  /** Operations the API's type always has (a WebSocket API's onHandshake), added when the folder lacks them. */
  builtIn: readonly Operation[] = [],
): Promise<Operation[]> {
  const specs = apiFiles.filter((f) => specificationFileNames.includes(f));
  if (specs.length > 1) {
    throw new ConfigFolderError(ctx.rel(apiDir), `has more than one specification (${specs.join(', ')}); keep one`);
  }
  const spec = specs[0];
  const opsDir = join(apiDir, 'operations');
  const opFolders = (await pathExists(ctx, opsDir)) ? (await listFolder(ctx, opsDir)).folders : [];
  const withInformation: string[] = [];
  for (const folder of opFolders) {
    if (await pathExists(ctx, join(opsDir, folder, 'operationInformation.json'))) withInformation.push(folder);
  }

  let operations: Operation[];
  let source: string;
  if (withInformation.length > 0) {
    operations = [];
    for (const folder of withInformation) {
      const info = await readInformationFile(ctx, join(opsDir, folder, 'operationInformation.json'));
      operations.push(parseOperationContract(resourceName(info, folder), info.properties));
    }
    source = `${ctx.rel(opsDir)}/*/operationInformation.json`;
    if (spec) ctx.ignore(join(apiDir, spec), 'its operations are not used: the operations come from operations/*/operationInformation.json');
  } else if (spec && spec in openApiFiles) {
    const specPath = join(apiDir, spec);
    try {
      operations = await operationsFromSpecification(await readText(ctx, specPath), openApiFiles[spec]!, { requiredQueryParameters }, { specDir: apiDir, root: apiDir });
    } catch (err) {
      if (err instanceof OpenApiError) throw new ConfigFolderError(ctx.rel(specPath), err.reason);
      throw err;
    }
    source = ctx.rel(specPath);
  } else if (spec && Object.hasOwn(xmlSpecificationFiles, spec)) {
    const specPath = join(apiDir, spec);
    operations = await readXmlSpecificationFile(ctx, specPath, xmlSpecificationFiles[spec]!, requiredQueryParameters);
    source = ctx.rel(specPath);
  } else if (spec) {
    // Gatehouse does not read these formats; the API still routes by path, without operations.
    ctx.ignore(join(apiDir, spec), `${otherSpecifications[spec]} specifications are not read; the API has no operations`);
    await ignoreOperationFolders(ctx, apiDir, 'not read: the API specification is not read');
    return [];
  } else {
    operations = [];
    source = `${ctx.rel(apiDir)} (no specification)`;
  }

  for (const op of builtIn) if (!findOperation(operations, op.name)) operations.push({ ...op });
  checkUnique(operations, source);
  for (const folder of opFolders) {
    const operation = findOperation(operations, folder);
    if (!operation) {
      throw new ConfigFolderError(ctx.rel(join(opsDir, folder)), `operation '${folder}' is not defined by ${source}`);
    }
    const entries = await listFolder(ctx, join(opsDir, folder));
    // `tags/` holds the operation's tag links, read by the folder import (read-observability-folders.ts).
    for (const f of entries.folders) if (f !== 'tags') ctx.ignore(join(opsDir, folder, f), 'folder not read');
    for (const f of entries.files) {
      if (f !== 'policy.xml' && f !== 'operationInformation.json') ctx.ignore(join(opsDir, folder, f), 'file not read');
    }
    const policy = await readPolicyFile(ctx, join(opsDir, folder, 'policy.xml'));
    if (policy) operation.policy = policy;
  }
  return operations;
}

/**
 * An operation folder is named after the operation's name; older extractor versions used the
 * display name, so a case-insensitive name or an exact display name also match.
 */
function findOperation(operations: Operation[], folder: string): Operation | undefined {
  return (
    operations.find((o) => o.name === folder) ??
    operations.find((o) => o.name.toLowerCase() === folder.toLowerCase()) ??
    operations.find((o) => o.displayName === folder)
  );
}

function checkUnique(operations: Operation[], source: string): void {
  const names = new Set<string>();
  const routes = new Map<string, string>();
  for (const o of operations) {
    if (names.has(o.name)) throw new ConfigFolderError(source, `operation name '${o.name}' is used twice`);
    names.add(o.name);
    // Parameter names don't tell templates apart, but a greedy `{*name}` is not a `{name}`.
    const route = operationRouteKey(o.method, o.urlTemplate);
    const other = routes.get(route);
    if (other !== undefined) {
      throw new ConfigFolderError(source, `operations '${other}' and '${o.name}' have the same method and URL template (${o.method} ${o.urlTemplate})`);
    }
    routes.set(route, o.name);
  }
}
