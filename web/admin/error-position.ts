/**
 * Where in the document a management API policy refusal points. The ValidationError's detail
 * names the place in its message: "Error in element 'x' on line 4, column 5: …" for compile
 * errors, "… Line 1, position 60." for XML that does not parse (docs/management-api.md).
 */

export interface ErrorPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

const patterns = [/\bon line (\d+), column (\d+)/i, /\bLine (\d+), position (\d+)/i];

/** The line and column a refusal message names, if it names one. */
export function errorPosition(message: string): ErrorPosition | undefined {
  for (const pattern of patterns) {
    const m = pattern.exec(message);
    if (m) {
      const line = Number(m[1]);
      const column = Number(m[2]);
      if (line >= 1 && column >= 1) return { line, column };
    }
  }
  return undefined;
}
