/**
 * Pulls every `@(...)` and `@{...}` out of a policy document's raw text, the way APIM sees it:
 * XML comments dropped, entities decoded, `{{named values}}` substituted. Scanning the raw text
 * (not XML attribute values) keeps newlines inside multi-line attribute expressions.
 */

export interface ExtractedExpression {
  source: string;
  /** 1-based line in the document where the expression starts. */
  line: number;
}

function decodeEntities(s: string): string {
  return s.replace(/&(quot|lt|gt|amp|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    switch (e) {
      case 'quot': return '"';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'apos': return "'";
      default: return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    }
  });
}

/** Index just past the code that starts at `i` (an opening bracket), or -1. */
function scanCode(s: string, i: number): number {
  const open = s[i]!;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 2;
      continue;
    }
    if (c === '"' || ((c === '@' || c === '$') && (s[i + 1] === '"' || ((s[i + 1] === '@' || s[i + 1] === '$') && s[i + 2] === '"')))) {
      i = scanString(s, i);
      if (i === -1) return -1;
      continue;
    }
    if (c === "'") {
      const end = s[i + 1] === '\\' ? s.indexOf("'", i + 3) : i + 2;
      if (s[end] !== "'") return -1;
      i = end + 1;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return c === close ? i + 1 : -1;
    }
    i++;
  }
  return -1;
}

function scanString(s: string, i: number): number {
  let verbatim = false;
  let interpolated = false;
  while (s[i] === '@' || s[i] === '$') {
    if (s[i] === '@') verbatim = true;
    else interpolated = true;
    i++;
  }
  i++; // opening quote
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      if (verbatim && s[i + 1] === '"') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    if (!verbatim && c === '\\') {
      i += 2;
      continue;
    }
    if (interpolated && c === '{') {
      if (s[i + 1] === '{') {
        i += 2;
        continue;
      }
      // A hole: scan code up to the matching brace.
      const end = scanCode(s, i);
      if (end === -1) return -1;
      i = end;
      continue;
    }
    if (interpolated && c === '}' && s[i + 1] === '}') {
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

/** Every expression in the document text, with `{{name}}` replaced by `namedValue`. */
export function extractExpressions(xml: string, namedValue = '1'): ExtractedExpression[] {
  const text = xml.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  const out: ExtractedExpression[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '@' || (text[i + 1] !== '(' && text[i + 1] !== '{')) continue;
    const decoded = decodeEntities(text.slice(i));
    const end = scanCode(decoded, 1);
    const line = text.slice(0, i).split('\n').length;
    if (end === -1) {
      out.push({ source: decoded.slice(0, 200), line });
      continue;
    }
    const source = decoded.slice(0, end).replace(/\{\{([A-Za-z0-9-._]+)\}\}/g, namedValue);
    out.push({ source, line });
    // Skip past the raw span: find how many raw characters the decoded prefix used.
    let raw = i;
    let consumed = 0;
    while (consumed < end && raw < text.length) {
      const m = /^&(quot|lt|gt|amp|apos|#\d+|#x[0-9a-fA-F]+);/.exec(text.slice(raw, raw + 12));
      raw += m ? m[0].length : 1;
      consumed++;
    }
    i = raw - 1;
  }
  return out;
}
