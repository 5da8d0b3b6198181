/**
 * What a request trace never shows in the clear (docs/tracing.md, "What is masked"): the
 * subscription key headers and query parameters, `Authorization` and `Proxy-Authorization`,
 * the subscription key the caller presented and the values of named values marked secret,
 * wherever they appear in a step's data.
 */

export const maskedText = '***';

export interface TraceMasking {
  /** Header names, lower case, whose values are masked. */
  headers: ReadonlySet<string>;
  /** Query parameter names, lower case, whose values are masked in URLs. */
  query: ReadonlySet<string>;
  /** Values masked wherever they appear in a string (secret named values, the key presented). */
  values: readonly string[];
}

/** The headers masked in every trace, besides an API's own key header (the query names are the access log's, gateway/redact-query.ts). */
export const alwaysMaskedHeaders = ['authorization', 'proxy-authorization', 'ocp-apim-subscription-key', 'apim-debug-authorization'];

/** Deepest nesting copied; below it a value is replaced (data is what policies built, never this deep). */
const maxDepth = 24;

/** A copy of `data` with everything `masking` names replaced by `***`. */
export function maskTraceData(data: unknown, masking: TraceMasking): unknown {
  return mask(data, masking, 0);
}

function mask(value: unknown, masking: TraceMasking, depth: number): unknown {
  if (typeof value === 'string') return maskString(value, masking);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => mask(v, masking, depth + 1));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // A `{ name, value }` header pair, as Azure's traces list headers.
  const pairName = typeof record.name === 'string' && 'value' in record ? record.name.toLowerCase() : undefined;
  for (const [key, v] of Object.entries(record)) {
    const secretKey = masking.headers.has(key.toLowerCase()) || (key === 'value' && pairName !== undefined && masking.headers.has(pairName));
    out[key] = secretKey && v !== undefined && v !== null ? maskedText : mask(v, masking, depth + 1);
  }
  return out;
}

function maskString(text: string, masking: TraceMasking): string {
  let out = text;
  for (const secret of masking.values) if (secret !== '' && out.includes(secret)) out = out.split(secret).join(maskedText);
  if (out.includes('=')) {
    for (const name of masking.query) {
      if (!out.toLowerCase().includes(name)) continue;
      out = out.replace(new RegExp(`([?&]${escapeRegExp(name)}=)[^&#\\s]*`, 'gi'), `$1${maskedText}`);
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
