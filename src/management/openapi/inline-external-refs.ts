/**
 * External `$ref`s of a specification read from an API folder (`./schemas/pet.yaml#/Pet`):
 * each is replaced by the part of the file it points at, so the document that reaches the
 * reference resolver (dereference-document.ts) is self-contained. Every input is hostile: a
 * reference is resolved only against the API folder, and one that leaves it (`../`, an absolute
 * path, a symbolic link out of it, a URL of any scheme) is refused naming the file and the
 * reference; nothing is fetched. Azure's own import refuses external references altogether
 * ("API import restrictions"); reading files beside the specification is Gatehouse's addition.
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { recursionPlaceholder } from './break-cycles.js';
import { OpenApiError } from './openapi-error.js';

const maxFiles = 200;
const maxTotalChars = 16 * 1024 * 1024;

/** Where the specification lives and the folder references must stay inside. */
export interface ExternalRefFolder {
  /** The folder the specification file is in (its relative references start there). */
  specDir: string;
  /** The API folder; no reference may leave it. */
  root: string;
}

/** Returns a copy of `document` with every external `$ref` inlined; throws OpenApiError naming the file. */
export async function inlineExternalRefs(document: Record<string, unknown>, folder: ExternalRefFolder): Promise<Record<string, unknown>> {
  const lexicalRoot = resolve(folder.root);
  const root = await realpath(lexicalRoot).catch(() => lexicalRoot);
  const files = new Map<string, unknown>();
  let totalChars = 0;
  const show = (path: string): string => relative(root, path).split(sep).join('/');

  const load = async (from: string, ref: string, file: string): Promise<{ path: string; content: unknown }> => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(file) || isAbsolute(file) || file.startsWith('\\')) {
      throw new OpenApiError(`$ref '${ref}' in ${from} is not a relative path inside the API folder; only files beside the specification are read`);
    }
    const path = resolve(from === '' ? resolve(folder.specDir) : dirname(resolve(lexicalRoot, from)), safeDecode(file));
    const inside = (p: string, base: string): boolean => p === base || p.startsWith(base + sep);
    const leaves = (): OpenApiError => new OpenApiError(`$ref '${ref}' in ${from || 'the specification'} leaves the API folder; only files inside it are read`);
    // Checked as written first (nothing outside is even looked at), then as resolved (symbolic links).
    if (!inside(path, lexicalRoot)) throw leaves();
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined) throw new OpenApiError(`$ref '${ref}' in ${from || 'the specification'}: file '${relative(lexicalRoot, path).split(sep).join('/')}' does not exist`);
    if (!inside(real, root)) throw leaves();
    const shown = show(real);
    if (!files.has(real)) {
      if (files.size >= maxFiles) throw new OpenApiError(`more than ${maxFiles} files are referenced`);
      const text = await readFile(real, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new OpenApiError(`$ref '${ref}' in ${from || 'the specification'}: cannot read ${shown} (${err.code ?? err.message})`);
      });
      totalChars += text.length;
      if (totalChars > maxTotalChars) throw new OpenApiError(`the referenced files are larger than ${maxTotalChars} characters together`);
      try {
        files.set(real, real.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
      } catch (err) {
        throw new OpenApiError(`${shown} (referenced by '${ref}'): ${real.endsWith('.json') ? 'invalid JSON' : 'invalid YAML'} (${(err as Error).message.split('\n')[0]})`);
      }
    }
    return { path: shown, content: files.get(real) };
  };

  // `from` is the file (relative to the root, '' for the specification) whose references are being read.
  const visit = async (node: unknown, from: string, inlining: readonly string[]): Promise<unknown> => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const item of node) out.push(await visit(item, from, inlining));
      return out;
    }
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && (!ref.startsWith('#') || from !== '')) {
      const hash = ref.indexOf('#');
      const file = hash === -1 ? ref : ref.slice(0, hash);
      const pointer = hash === -1 ? '' : ref.slice(hash + 1);
      const target = file === '' ? { path: from, content: files.get(await realpath(resolve(root, from))) } : await load(from, ref, file);
      const key = `${target.path}#${pointer}`;
      // A chain of files that comes back to itself is cut as Azure cuts recursive schemas.
      if (inlining.includes(key)) return recursionPlaceholder();
      return visit(resolvePointer(target.content, pointer, ref, target.path), target.path, [...inlining, key]);
    }
    const out: Record<string, unknown> = {};
    // defineProperty: a `__proto__` key stays a key, never the copy's prototype.
    for (const [k, v] of Object.entries(node)) Object.defineProperty(out, k, { value: await visit(v, from, inlining), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return (await visit(document, '', [])) as Record<string, unknown>;
}

/** Follows a JSON pointer (`/components/schemas/Pet`) into `content`. */
function resolvePointer(content: unknown, pointer: string, ref: string, file: string): unknown {
  let node = content;
  if (pointer === '' || pointer === '/') return node;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const token = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) {
      throw new OpenApiError(`$ref '${ref}': ${file} has nothing at '#${pointer}'`);
    }
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Percent-decodes a reference part; a malformed escape is kept as written. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
