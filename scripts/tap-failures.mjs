// Keeps the `not ok` entries of a TAP report (Node's test runner) with their YAML details, so a
// runner can print every failure again at the end of a long report.

const maxLinesPerBlock = 80;

/** A line collector: feed it the report in chunks, then `finish()` gives one text per failure. */
export function collectFailures() {
  let partial = '';
  /** @type {string[]} */
  const blocks = [];
  /** @type {string[] | null} */
  let current = null;

  const line = (text) => {
    if (current) {
      if (current.length < maxLinesPerBlock) current.push(text);
      // The YAML block of a result ends with a line of three dots at the result's indentation.
      if (text.trim() === '...') {
        blocks.push(current.join('\n'));
        current = null;
      }
      return;
    }
    if (/^\s*not ok \d+/.test(text)) current = [text];
  };

  return {
    add(chunk) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const text of lines) line(text);
    },
    finish() {
      if (partial) line(partial);
      partial = '';
      if (current) blocks.push(current.join('\n'));
      current = null;
      return blocks;
    },
  };
}
