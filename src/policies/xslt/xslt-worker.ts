/**
 * The worker thread that runs XSLT transforms (xslt-runner.ts starts it). xslt-processor is
 * synchronous JavaScript: a stylesheet that recurses without end or a large body would hold the
 * gateway's event loop, and an endless recursion grows the heap until the process dies. Here it
 * only holds this thread, which the runner stops at its deadline, under a heap limit.
 */
import { parentPort } from 'node:worker_threads';
import { SaxesParser } from 'saxes';
import { Xslt, XmlParser } from 'xslt-processor';
import type { XsltJob, XsltOutcome } from './xslt-job.js';

// xsl:message and the library's warnings print to the console; nobody reads this thread's.
console.log = () => undefined;
console.warn = () => undefined;
console.error = () => undefined;

const declarationText = '<?xml version="1.0" encoding="utf-8"?>';

/** Why `text` is not a well-formed XML document, or undefined: xslt-processor's own parser accepts broken markup. */
function xmlInputProblem(text: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let problem: string | undefined;
  parser.on('error', (err) => {
    problem ??= err.message;
  });
  // .NET's default XmlReaderSettings (DtdProcessing.Prohibit): no entity expansion, no external DTD.
  parser.on('doctype', () => {
    problem ??= 'For security reasons DTD is prohibited in this XML document.';
  });
  try {
    parser.write(text).close();
  } catch (err) {
    problem ??= (err as Error).message;
  }
  return problem;
}

/** Runs one job; never throws. */
async function runXsltJob(job: XsltJob): Promise<XsltOutcome> {
  const problem = xmlInputProblem(job.input);
  if (problem) return { id: job.id, ok: false, kind: 'input', message: problem };
  try {
    const parser = new XmlParser();
    const xslt = new Xslt({
      escape: job.escape,
      cData: true,
      selfClosingTags: true,
      parameters: job.parameters.map((p) => ({ name: p.name, value: p.value })),
      // The stylesheet is checked at save time to load nothing; this is the second lock.
      fetchFunction: (uri: string) => Promise.reject(new Error(`Loading '${uri}' is not allowed.`)),
    });
    (xslt as unknown as { warningsCallback: (m: string) => void }).warningsCallback = () => undefined;
    const output = await xslt.xsltProcess(parser.xmlParse(job.input), parser.xmlParse(job.stylesheet));
    const text = job.declaration && !output.startsWith('<?xml') ? `${declarationText}${output.length > 0 ? '\n' : ''}${output}` : output;
    return { id: job.id, ok: true, output: text };
  } catch (err) {
    return { id: job.id, ok: false, kind: 'transform', message: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (job: XsltJob) => {
  void runXsltJob(job).then((outcome) => parentPort!.postMessage(outcome));
});
// Loaded: the runner starts a job's deadline from here on, not from the thread's start.
parentPort?.postMessage('ready');
