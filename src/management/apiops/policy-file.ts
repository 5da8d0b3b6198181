/**
 * Reads a policy document file. The XML must be well formed and have the expected root
 * (`<policies>`, or `<fragment>` for policy fragments); everything else is checked when the
 * gateway snapshot compiles it.
 */
import type { PolicyDocument } from '../../model/resources.js';
import { parseXml, XmlSyntaxError } from '../../pipeline/xml.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { pathExists, readText } from './folder-files.js';

/** Reads a policy file if it exists; the document's source is its relative path. */
export async function readPolicyFile(
  ctx: FolderContext,
  path: string,
  root: 'policies' | 'fragment' = 'policies',
): Promise<PolicyDocument | undefined> {
  if (!(await pathExists(ctx, path))) return undefined;
  const file = ctx.rel(path);
  const xml = await readText(ctx, path);
  let element;
  try {
    element = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) {
      const reason = err.reason;
      throw new ConfigFolderError(file, `invalid XML: ${reason.charAt(0).toUpperCase()}${reason.slice(1)} Line ${err.line}, position ${err.column}.`);
    }
    throw err;
  }
  if (element.name !== root) {
    throw new ConfigFolderError(file, `root element must be <${root}>, found <${element.name}>`);
  }
  return { xml, source: file };
}
