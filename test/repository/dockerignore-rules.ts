/**
 * Which paths of the build context a `.dockerignore` keeps out, by Docker's rules: patterns in
 * order, `*` and `?` within one path segment, `**` across segments, `!` re-includes, the last
 * matching pattern wins, and a pattern that matches a folder covers everything under it.
 */

interface IgnoreRule {
  pattern: RegExp;
  include: boolean;
}

/** The rules of a .dockerignore text. */
export function dockerignoreRules(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const cleaned = (include ? line.slice(1) : line).trim().replace(/^\/+|\/+$/g, '');
      return { pattern: globPattern(cleaned), include };
    });
}

/** True when `path` (relative to the context, `/`-separated) is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  // The path and each folder above it: `src` matching covers `src/main/cli.ts`.
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.include;
  }
  return ignored;
}

function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/x` is x in any folder, the top included; a trailing `**` is anything below.
      const folders = glob[i + 2] === '/';
      source += folders ? '(?:.*/)?' : '.*';
      i += folders ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
