/**
 * `file:/absolute/path` secret references for self-hosting (Docker and Kubernetes secret
 * files): the file's UTF-8 text, read with a size cap, with ONE trailing line break (`\n` or
 * `\r\n`) removed, since `echo value > file` and most secret tools end the file with one. Only
 * files in the folders the operator allowed are read (secret-allow-list.ts), and never those
 * inside Gatehouse's data folder (the encryption key, the admin token), even when allowed.
 */
import { open, readlink, realpath } from 'node:fs/promises';
import { maxSecretLength, SecretResolutionError } from '../core/secret-provider.js';
import { allowedFilePath, isInside, type SecretAllowList } from './secret-allow-list.js';

// 4096 characters of UTF-8 take at most 4 bytes each, plus the line break.
const maxBytes = maxSecretLength * 4 + 2;

/** The file's text without its final line break; throws SecretResolutionError. */
export async function readFileSecret(path: string, allowed: SecretAllowList, deniedFolders: readonly string[]): Promise<string> {
  const real = await allowedFilePath(path, allowed);
  for (const folder of deniedFolders) {
    const root = await realpath(folder).catch(() => folder);
    if (isInside(real, root)) {
      throw new SecretResolutionError('Forbidden', `The file '${path}' is inside Gatehouse's data folder and cannot be a named value.`);
    }
  }
  let bytes: Buffer;
  try {
    const handle = await open(real, 'r');
    try {
      // The checks above name a path; what was opened is what counts (a folder swapped for a
      // symlink in between would lead elsewhere). Linux tells through /proc; elsewhere the path stands.
      const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => real);
      if (opened !== real) throw new SecretResolutionError('SecretUnreadable', `The file '${path}' changed while it was being read.`);
      const info = await handle.stat();
      if (!info.isFile()) throw new SecretResolutionError('SecretNotFound', `'${path}' is not a regular file.`);
      const buffer = Buffer.alloc(maxBytes + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > maxBytes) throw new SecretResolutionError('SecretTooLong', `The file '${path}' is larger than a named value can hold (${maxSecretLength} characters).`);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw fileError(path, err);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SecretResolutionError('InvalidSecret', `The file '${path}' is not UTF-8 text.`);
  }
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

function fileError(path: string, err: unknown): SecretResolutionError {
  if (err instanceof SecretResolutionError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SecretResolutionError('SecretNotFound', `The file '${path}' does not exist.`);
  if (code === 'EACCES' || code === 'EPERM') return new SecretResolutionError('Forbidden', `The file '${path}' cannot be read by Gatehouse (permission denied).`);
  return new SecretResolutionError('SecretUnreadable', `The file '${path}' cannot be read (${code ?? 'error'}).`);
}
