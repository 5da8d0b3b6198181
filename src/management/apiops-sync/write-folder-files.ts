/** Writing the files of an export: JSON information files and policy documents, folders created as needed. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes `{ "properties": … }` (the extractor's shape) to `dir/relPath`, pretty-printed. */
export async function writeInformationFile(dir: string, relPath: string, properties: Record<string, unknown>): Promise<void> {
  await writeTextFile(dir, relPath, `${JSON.stringify({ properties }, null, 2)}\n`);
}

/** Writes a text file to `dir/relPath`, creating its folders. */
export async function writeTextFile(dir: string, relPath: string, text: string): Promise<void> {
  const path = join(dir, ...relPath.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}
