/**
 * Downloads the document an API import names by link (`openapi-link`, `wsdl-link`,
 * `graphql-link` …): http or https only, 15 seconds for the whole exchange, and at most 8 MiB,
 * counted while the body streams so a larger answer is cut off rather than held in memory.
 * Every failure is a 400 ValidationError on `value`, as Azure answers a link it cannot read.
 */
import { BodyTooLargeError, readLimitedBody } from '../../core/limited-body.js';
import { ArmError, invalidField } from '../arm/arm-error.js';

/** The largest linked document read. */
export const linkedDocumentLimit = 8 * 1024 * 1024;
const timeoutMs = 15_000;

/** What a request for a linked document may add (the introspection query of `graphql-link` is a POST). */
export interface LinkRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** The answer: status and text (read only for 2xx answers). */
export interface LinkedDocument {
  ok: boolean;
  status: number;
  contentType: string;
  text: string;
}

/** Fetches `link`; throws ArmError 400 on `value` when it cannot be read at all (bad link, network, timeout, too large). */
export async function fetchLinkedDocument(link: string, what: string, request: LinkRequest = {}): Promise<LinkedDocument> {
  if (!/^https?:\/\//i.test(link)) throw invalidField('value', `'${link}' is not an http or https link.`);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(link, { method: request.method ?? 'GET', headers: request.headers, body: request.body, signal, redirect: 'follow' });
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, status: response.status, contentType, text: '' };
    }
    return { ok: true, status: response.status, contentType, text: await boundedText(response, link, what) };
  } catch (err) {
    if (err instanceof ArmError) throw err;
    const reason = signal.aborted ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message;
    throw invalidField('value', `The ${what} at '${link}' could not be downloaded: ${reason}.`);
  }
}

/** The body as UTF-8 text, refused once it passes the limit. */
async function boundedText(response: Response, link: string, what: string): Promise<string> {
  try {
    return (await readLimitedBody(response, linkedDocumentLimit)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw invalidField('value', `The ${what} at '${link}' is larger than ${linkedDocumentLimit} bytes.`);
    throw err;
  }
}
