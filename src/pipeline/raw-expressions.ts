/**
 * Policy documents are often written in APIM's "rawxml" form: expressions keep their C# text
 * unescaped (`value="@(context.Request.Headers.GetValueOrDefault("x", ""))"`, `@{ if (a < b) … }`),
 * which is not well-formed XML. Before parsing, the characters XML would trip on inside an
 * expression are swapped for private-use stand-ins of the same length (so line and column stay
 * true), and swapped back in attribute values and text after parsing (reference §5.2 `rawxml`).
 */

const standIns: Record<string, string> = { '"': '\uE000', "'": '\uE001', '<': '\uE002', '>': '\uE003', '&': '\uE004' };
// In attribute values XML turns line breaks and tabs into spaces; an expression needs them kept
// (a `//` comment ends at the line break).
const whitespaceStandIns: Record<string, string> = { '\n': '\uE005', '\r': '\uE006', '\t': '\uE007' };
const originals = new Map([...Object.entries(standIns), ...Object.entries(whitespaceStandIns)].map(([k, v]) => [v, k]));
const standInPattern = /[\uE000-\uE007]/g;
const entityAhead = /^&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/;

/** Protects expressions that start an attribute value or an element's text. */
export function protectRawExpressions(xml: string): string {
  let out = '';
  let i = 0;
  while (i < xml.length) {
    const at = xml.indexOf('@', i);
    if (at === -1 || at + 1 >= xml.length) break;
    const opener = xml[at + 1];
    if ((opener !== '(' && opener !== '{') || !startsValue(xml, at)) {
      out += xml.slice(i, at + 1);
      i = at + 1;
      continue;
    }
    const end = expressionEnd(xml, at + 1);
    if (end === -1) break;
    out += xml.slice(i, at) + protect(xml.slice(at, end), inAttribute(xml, at));
    i = end;
  }
  return out + xml.slice(i);
}

/** Restores the characters protectRawExpressions swapped. */
export function restoreRawExpressions(text: string): string {
  return /[\uE000-\uE007]/.test(text) ? text.replace(standInPattern, (c) => originals.get(c)!) : text;
}

function protect(expression: string, attributeValue: boolean): string {
  let out = '';
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (c === '&' && entityAhead.test(expression.slice(i, i + 12))) out += c;
    else out += standIns[c] ?? (attributeValue ? whitespaceStandIns[c] : undefined) ?? c;
  }
  return out;
}

/** True when the expression at `at` is an attribute value (it follows a quote). */
function inAttribute(xml: string, at: number): boolean {
  const prev = xml[at - 1];
  return prev === '"' || prev === "'";
}

/** True when `@` opens an attribute value (after a quote) or an element's text (after `>`). */
function startsValue(xml: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && /\s/.test(xml[j]!)) j--;
  if (j < 0) return false;
  const prev = xml[j]!;
  if (prev === '>') return true;
  if ((prev === '"' || prev === "'") && j === at - 1) return xml[j - 1] === '=' || /=\s*$/.test(xml.slice(Math.max(0, j - 8), j));
  return false;
}

/** Index just past the `)` or `}` closing the expression opened at `open`, or -1. */
function expressionEnd(xml: string, open: number): number {
  const close = xml[open] === '(' ? ')' : '}';
  const end = skipBalanced(xml, open + 1, close);
  return end === -1 ? -1 : end + 1;
}

/** Scans C# text from `i` to the unmatched `close`, skipping strings, chars and comments. */
function skipBalanced(s: string, i: number, close: string): number {
  const stack: string[] = [close];
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"' || (c === '@' && s[i + 1] === '"') || (c === '$' && (s[i + 1] === '"' || s[i + 1] === '@'))) {
      i = skipString(s, i);
      if (i === -1) return -1;
      continue;
    }
    if (c === "'") {
      i = skipChar(s, i);
      continue;
    }
    if (c === '/' && s[i + 1] === '/') {
      const nl = s.indexOf('\n', i);
      i = nl === -1 ? s.length : nl;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const endComment = s.indexOf('*/', i + 2);
      i = endComment === -1 ? s.length : endComment + 2;
      continue;
    }
    if (c === '(') stack.push(')');
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === ')' || c === '}' || c === ']') {
      if (stack[stack.length - 1] === c) stack.pop();
      if (stack.length === 0) return i;
    }
    i++;
  }
  return -1;
}

/** Skips a string literal starting at `i` (regular, verbatim, interpolated); returns the index after it. */
function skipString(s: string, i: number): number {
  let interpolated = false;
  let verbatim = false;
  while (s[i] === '$' || s[i] === '@') {
    if (s[i] === '$') interpolated = true;
    else verbatim = true;
    i++;
  }
  i++; // opening quote
  while (i < s.length) {
    const c = s[i]!;
    if (verbatim && c === '"' && s[i + 1] === '"') {
      i += 2;
      continue;
    }
    if (!verbatim && c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if (interpolated && c === '{') {
      if (s[i + 1] === '{') {
        i += 2;
        continue;
      }
      const end = skipBalanced(s, i + 1, '}');
      if (end === -1) return -1;
      i = end + 1;
      continue;
    }
    i++;
  }
  return -1;
}

function skipChar(s: string, i: number): number {
  let j = i + 1;
  if (s[j] === '\\') j += 2;
  else j += 1;
  return s[j] === "'" ? j + 1 : i + 1;
}
