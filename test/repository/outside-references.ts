/**
 * Finds the relative paths in the repository's own files that climb above the repository root
 * (a markdown link, a `new URL(…, import.meta.url)`, `join(here, '..', '..', …)`), each resolved
 * from the directory of the file it is written in: a sibling folder of the clone is one.
 * A clone has nothing beside it, so any such path is a file the clone does not have.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The parts of the repository that are ours to check (relative to its root). */
export const checkedParts = ['README.md', 'src', 'test', 'docs', 'bench', 'scripts', 'bin', '.ci'];

/** Folders that are installed or generated, never written by us (the .gitignore list). */
const generatedFolders = new Set(['node_modules', 'dist', '.gatehouse', 'vendor']);

export interface OutsideReference {
  /** The file, relative to the repository root. */
  file: string;
  line: number;
  /** The path as written. */
  written: string;
  /** Where it points, relative to the repository root (so it starts with `..`). */
  resolved: string;
}

// A path that starts with `..` (`..`, `../x`, `../../x/y.md`): not part of `...`, `a..b` or `x/..`.
const climbingPath = /(?<![\w.\-/\\])\.\.(?:\/[^\s'"`()[\]<>,;|*{}$]*)*(?![.\w])/g;
// Consecutive quoted arguments (`'..', '..', 'shared'`), as path.join and path.resolve take them.
const quotedArgumentRun = /(['"])([^'"\n]*)\1(?:\s*,\s*(['"])[^'"\n]*\3)+/g;
const quotedArgument = /(['"])([^'"\n]*)\1/g;

/** The climbing paths written in `text`, a file in `fileDir`, that leave `root`. */
export function outsideReferencesIn(text: string, fileDir: string, root: string): Omit<OutsideReference, 'file'>[] {
  const found: Omit<OutsideReference, 'file'>[] = [];
  const report = (written: string, index: number) => {
    const resolved = relative(root, resolve(fileDir, written));
    if (resolved === '..' || resolved.startsWith('..' + sep)) {
      found.push({ line: text.slice(0, index).split('\n').length, written, resolved });
    }
  };
  for (const m of text.matchAll(climbingPath)) report(m[0], m.index);
  for (const m of text.matchAll(quotedArgumentRun)) {
    const parts = [...m[0].matchAll(quotedArgument)].map((a) => a[2]!);
    // A run that starts by climbing is a path built from pieces (`join(here, '..', '..', 'x')`).
    if (parts[0] === '..') report(join(...parts), m.index);
  }
  return found;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !generatedFolders.has(name))
    .flatMap((name) => filesUnder(join(path, name)));
}

/** Every outside reference in the checked parts of the repository at `root`. */
export function outsideReferences(root: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  for (const part of checkedParts) {
    let files: string[];
    try {
      files = filesUnder(join(root, part));
    } catch {
      continue; // a part the repository does not have (yet)
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('\0')) continue; // binary
      for (const ref of outsideReferencesIn(text, dirname(file), root)) found.push({ file: relative(root, file), ...ref });
    }
  }
  return found;
}
