/**
 * Where a value sits in a JSON text: the line and position Azure appends to a schema error
 * ("… Line: 1, Position: 27"). The position is Newtonsoft's: the column of the value's last
 * character, 1-based, so an object's error points at its closing brace.
 */

export interface TextPosition {
  line: number;
  position: number;
}

/** The position of the value at `pointer` (a JSON Pointer such as `/items/0/name`) in `text`; the whole document for ''. */
export function jsonValuePosition(text: string, pointer: string): TextPosition {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at = skipSpace(text, 0);
  for (const segment of segments) {
    const inside = enterMember(text, at, segment);
    if (inside === undefined) break;
    at = inside;
  }
  return positionAt(text, Math.max(0, valueEnd(text, at) - 1));
}

/** The 1-based line and column of offset `offset`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, position: offset - lineStart + 1 };
}

/** The offset of the member `segment` of the object or array starting at `at`, or undefined. */
function enterMember(text: string, at: number, segment: string): number | undefined {
  const open = text[at];
  if (open !== '{' && open !== '[') return undefined;
  let i = skipSpace(text, at + 1);
  let index = 0;
  while (i < text.length && text[i] !== '}' && text[i] !== ']') {
    if (open === '{') {
      const keyEnd = stringEnd(text, i);
      let key: string;
      try {
        key = JSON.parse(text.slice(i, keyEnd)) as string;
      } catch {
        return undefined;
      }
      i = skipSpace(text, keyEnd);
      if (text[i] !== ':') return undefined;
      i = skipSpace(text, i + 1);
      if (key === segment || key.toLowerCase() === segment) return i;
    } else if (String(index) === segment) {
      return i;
    }
    i = skipSpace(text, valueEnd(text, i));
    if (text[i] === ',') i = skipSpace(text, i + 1);
    index += 1;
  }
  return undefined;
}

/** The offset just past the value starting at `at` (nesting followed with a counter, not the stack). */
function valueEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text[i];
    // A scalar ends where its container's next token starts.
    if (depth === 0 && i > at && (c === '}' || c === ']')) return i;
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{' || c === '[') {
      depth += 1;
      i += 1;
    } else if (c === '}' || c === ']') {
      depth -= 1;
      i += 1;
      if (depth <= 0) return i;
    } else if (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\r' || c === '\n')) return i;
    else i += 1;
    if (depth === 0 && c === '"') return i;
  }
  return i;
}

/** The offset just past the string literal starting at `at`. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i += 1;
  return i;
}
