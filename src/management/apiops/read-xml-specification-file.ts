/**
 * An API folder's `specification.wsdl` or `specification.wadl` (the names the APIOps extractor
 * writes) → its operations; a bad document is a ConfigFolderError naming the file. Without a
 * `wsdlSelector` (a folder has none) the first service and its first SOAP port are read.
 */
import type { Operation } from '../../model/resources.js';
import { readXmlSpecification, SpecXmlError } from '../api-specification/read-xml-specification.js';
import type { RequiredQueryParameters } from '../openapi/operations-from-specification.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { readText } from './folder-files.js';

/** The operations of the document at `path`; throws ConfigFolderError. */
export async function readXmlSpecificationFile(ctx: FolderContext, path: string, family: 'wsdl' | 'wadl', requiredQueryParameters: RequiredQueryParameters): Promise<Operation[]> {
  try {
    return readXmlSpecification(family, await readText(ctx, path), { requiredQueryInTemplate: requiredQueryParameters === 'template' }).operations;
  } catch (err) {
    if (err instanceof SpecXmlError) throw new ConfigFolderError(ctx.rel(path), err.reason);
    throw err;
  }
}

/** A folder with a `specification.wsdl` holds a SOAP pass-through API: the type when its information file names none. */
export function typeImpliedBySpecification(files: readonly string[]): 'soap' | undefined {
  return files.includes('specification.wsdl') ? 'soap' : undefined;
}
