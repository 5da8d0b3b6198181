/**
 * Finds the runnable code blocks of the user documentation (README.md and docs/**\/*.md): fenced
 * blocks whose info string starts with sh, bash, js or ts. A block that cannot run here is marked
 * in the markdown with an HTML comment, invisible when rendered, on the last non-blank line
 * before its fence:
 *
 *   <!-- example: skip <reason> -->                  this block
 *   <!-- examples in this section: skip <reason> --> every runnable block up to the next heading
 *                                                    of the same or a higher level
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type ExampleLanguage = 'sh' | 'js' | 'ts';

export interface MarkdownExample {
  /** Path relative to the repository, e.g. `docs/management-api.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: ExampleLanguage;
  code: string;
  /** Why the block does not run here; absent for blocks that run. */
  skip?: string;
}

/** A marker that is malformed or marks nothing runnable: the docs test reports it. */
export interface MarkerProblem {
  file: string;
  line: number;
  problem: string;
}

const languages: Record<string, ExampleLanguage> = { sh: 'sh', bash: 'sh', shell: 'sh', js: 'js', javascript: 'js', mjs: 'js', ts: 'ts', typescript: 'ts' };
const blockMarker = /^<!--\s*example:\s*skip\b\s*(.*?)\s*-->$/;
const sectionMarker = /^<!--\s*examples in this section:\s*skip\b\s*(.*?)\s*-->$/;
const anyMarker = /^<!--\s*examples?\b/;

/** The markdown files the docs test reads, README first. */
export function documentationFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [path] : [];
      });
  return [join(root, 'README.md'), ...walk(join(root, 'docs'))].map((p) => relative(root, p));
}

/** The runnable blocks of one markdown text and the problems with its markers. */
export function extractExamples(file: string, text: string): { examples: MarkdownExample[]; problems: MarkerProblem[] } {
  const lines = text.split('\n');
  const examples: MarkdownExample[] = [];
  const problems: MarkerProblem[] = [];
  // The marker waiting for the next fence, and the section-wide one with its heading level.
  let pending: { line: number; reason: string } | null = null;
  let section: { level: number; line: number; reason: string; used: boolean } | null = null;
  const closeSection = (): void => {
    if (section && !section.used) problems.push({ file, line: section.line, problem: 'section marker with no runnable block after it' });
    section = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (fence) {
      const close = fence[2]!;
      const language = languages[fence[3]!.toLowerCase()];
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(close); i++) body.push(lines[i]!.slice(fence[1]!.length));
      if (language) {
        const reason = pending?.reason ?? section?.reason;
        if (!pending && section) section.used = true;
        examples.push({ file, line: start + 1, language, code: body.join('\n') + '\n', ...(reason !== undefined ? { skip: reason } : {}) });
      } else if (pending) {
        problems.push({ file, line: pending.line, problem: `marker before a block that never runs (\`\`\`${fence[3]})` });
      }
      pending = null;
      continue;
    }
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading && section && heading[1]!.length <= section.level) closeSection();
    if (anyMarker.test(trimmed)) {
      const one = blockMarker.exec(trimmed);
      const all = sectionMarker.exec(trimmed);
      const reason = (one ?? all)?.[1];
      if (!reason) {
        problems.push({ file, line: i + 1, problem: `marker without a reason or not understood: ${trimmed}` });
      } else if (one) {
        pending = { line: i + 1, reason };
      } else {
        closeSection();
        section = { level: currentHeadingLevel(lines, i), line: i + 1, reason, used: false };
      }
      continue;
    }
    if (trimmed !== '' && pending) {
      problems.push({ file, line: pending.line, problem: 'marker not followed by a code block' });
      pending = null;
    }
  }
  if (pending) problems.push({ file, line: pending.line, problem: 'marker not followed by a code block' });
  closeSection();
  return { examples, problems };
}

/** The level of the heading a line sits under (0 before any heading). */
function currentHeadingLevel(lines: readonly string[], index: number): number {
  for (let i = index; i >= 0; i--) {
    const heading = /^(#{1,6})\s/.exec(lines[i]!);
    if (heading) return heading[1]!.length;
  }
  return 0;
}

/** Every runnable block of the documentation, in reading order, and every marker problem. */
export function documentationExamples(root: string): { examples: MarkdownExample[]; problems: MarkerProblem[] } {
  const examples: MarkdownExample[] = [];
  const problems: MarkerProblem[] = [];
  for (const file of documentationFiles(root)) {
    const found = extractExamples(file, readFileSync(join(root, file), 'utf8'));
    examples.push(...found.examples);
    problems.push(...found.problems);
  }
  return { examples, problems };
}
