/** The messages between the gateway and its XSLT worker (xslt-runner.ts, xslt-worker.ts). */

/** One transform: the body, the stylesheet's text and the parameter values. */
export interface XsltJob {
  id: number;
  input: string;
  stylesheet: string;
  parameters: ReadonlyArray<{ name: string; value: string }>;
  /** Whether the output is XML with a declaration (`xsl:output` neither `text`/`html` nor `omit-xml-declaration="yes"`). */
  declaration: boolean;
  /** False for `method="text"`, whose output is not markup and is written as it is. */
  escape: boolean;
}

/** Why a transform did not produce output: the body is not XML, or the stylesheet failed on it. */
export type XsltFailureKind = 'input' | 'transform';

export type XsltOutcome = { id: number; ok: true; output: string } | { id: number; ok: false; kind: XsltFailureKind; message: string };
