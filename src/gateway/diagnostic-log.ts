/**
 * Diagnostics acted on (docs/loggers-and-diagnostics.md): for each request, every diagnostic
 * that applies (the service's, each replaced for an API by that API's diagnostic of the same
 * name, as Azure's API-level settings override the service's) decides by its sampling whether
 * to record it, and the record goes to Gatehouse's own log stream as one `info` line naming the
 * logger, in place of Application Insights, Azure Monitor or the event hub.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { DiagnosticSetting, MaskMode } from '../model/diagnostic-setting.js';
import type { RequestObserver, RequestRecord } from './request-observer.js';

/** One finished request, as a diagnostic sees it. */
export interface DiagnosedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord;
  durationMs: number;
}

/** The diagnostics in force and the line each writes; `update` follows every configuration reload. */
export class DiagnosticLog {
  private settings: readonly DiagnosticSetting[] = [];

  constructor(
    private readonly logger: Logger,
    /** A number in [0, 1) per sampling decision. */
    private readonly random: () => number = Math.random,
  ) {}

  /** Replaces the diagnostics in force. */
  update(settings: readonly DiagnosticSetting[]): void {
    this.settings = settings;
  }

  /** Whether any diagnostic is in force (none: requests are not watched for it). */
  get active(): boolean {
    return this.settings.length > 0;
  }

  /** The diagnostics in force for a request to `api` (without `;rev=`; undefined: no API matched). */
  applyingTo(api: string | undefined): DiagnosticSetting[] {
    return applying(this.settings, api?.replace(/;rev=.*$/, '').toLowerCase());
  }

  /** Writes the lines of every diagnostic that applies to `request` and samples it. */
  record(request: DiagnosedRequest): void {
    const gw = request.record.gateway;
    const api = (gw?.api.name ?? request.record.api?.name)?.replace(/;rev=.*$/, '').toLowerCase();
    const failed = request.res.statusCode >= 400 || !request.res.writableFinished || gw?.lastError !== undefined && gw.lastError !== null;
    for (const setting of applying(this.settings, api)) {
      const sampled = setting.samplingPercentage >= 100 || this.random() * 100 < setting.samplingPercentage;
      if (!sampled && !(setting.alwaysLogErrors && failed)) continue;
      this.logger.info(diagnosticFields(setting, request), 'gateway diagnostic');
    }
  }
}

/** The service's diagnostics, each replaced by the API's of the same name, plus the API's others. */
function applying(settings: readonly DiagnosticSetting[], api: string | undefined): DiagnosticSetting[] {
  const ofApi = api === undefined ? [] : settings.filter((s) => s.api?.toLowerCase() === api);
  const out = settings.filter((s) => s.api === undefined && !ofApi.some((a) => a.name === s.name));
  return [...out, ...ofApi];
}

/** The fields of one diagnostic line. */
export function diagnosticFields(setting: DiagnosticSetting, request: DiagnosedRequest): Record<string, unknown> {
  const { req, res, record } = request;
  const gw = record.gateway;
  const fields: Record<string, unknown> = {
    diagnostic: setting.name,
    logger: setting.logger.name,
    loggerType: setting.logger.type,
  };
  if (setting.logger.eventHub !== undefined) fields.eventHub = setting.logger.eventHub;
  if (gw) fields.requestId = gw.requestId;
  fields.method = req.method ?? '';
  fields.url = maskedUrl(req.url ?? '/', setting.queryMasks);
  fields.status = res.writableFinished ? res.statusCode : 0;
  fields.durationMs = Math.round(request.durationMs * 10) / 10;
  if (gw) {
    fields.api = gw.routing.apiId;
    fields.operation = setting.operationNameFormat === 'Url' ? `${gw.operation.method} ${gw.operation.urlTemplate}` : `${gw.api.name};${gw.operation.name}`;
    if (gw.product) fields.product = gw.product.name;
    if (gw.subscription) fields.subscription = gw.subscription.name;
  }
  if (setting.logClientIp) fields.clientIp = gw ? gw.request.ipAddress : (record.clientIp ?? req.socket.remoteAddress ?? '');
  const correlationId = correlationOf(setting.correlation, req);
  if (correlationId !== undefined) fields.correlationId = correlationId;
  if (setting.requestHeaders.length > 0) fields.requestHeaders = pickHeaders(req.headers, setting.requestHeaders, setting.headerMasks);
  if (setting.responseHeaders.length > 0) {
    // The gateway hands its headers to writeHead as a list, so the sent ones are the context's.
    const sent: OutgoingHttpHeaders = { ...res.getHeaders() };
    for (const name of setting.responseHeaders) {
      const value = gw?.response.headers.get(name);
      if (value !== undefined) sent[name.toLowerCase()] = value;
    }
    fields.responseHeaders = pickHeaders(sent, setting.responseHeaders, setting.headerMasks);
  }
  const error = gw?.lastError?.reason ?? record.error;
  if (error) fields.error = error;
  return fields;
}

/** The caller's correlation id: W3C's trace id from `traceparent`, or Legacy's `Request-Id`. */
function correlationOf(protocol: DiagnosticSetting['correlation'], req: IncomingMessage): string | undefined {
  if (protocol === 'W3C') {
    const parent = req.headers.traceparent;
    const m = typeof parent === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i.exec(parent.trim()) : null;
    return m ? m[1]!.toLowerCase() : undefined;
  }
  if (protocol === 'Legacy') {
    const id = req.headers['request-id'];
    return typeof id === 'string' && id !== '' ? id : undefined;
  }
  return undefined;
}

function pickHeaders(headers: OutgoingHttpHeaders, names: readonly string[], masks: Readonly<Record<string, MaskMode>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const key = name.toLowerCase();
    const value = headers[key];
    if (value === undefined || masks[key] === 'Hide') continue;
    out[key] = masks[key] === 'Mask' ? '***' : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** The URL with masked query parameters written as `***` and hidden ones left out. */
function maskedUrl(url: string, masks: Readonly<Record<string, MaskMode>>): string {
  const q = url.indexOf('?');
  if (q === -1 || Object.keys(masks).length === 0) return url;
  const kept: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // A malformed escape is matched as written.
    }
    const mode = masks[name.toLowerCase()];
    if (mode === 'Hide') continue;
    kept.push(mode === 'Mask' ? `${rawName}=***` : pair);
  }
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

/**
 * Wraps the gateway's observer (access log, metrics; may be absent) so the diagnostics in force
 * see every request too; while none is in force a request costs one check.
 */
export function observeDiagnostics(inner: RequestObserver | undefined, log: DiagnosticLog, onError: (err: unknown) => void): RequestObserver {
  return {
    begin(req, res) {
      const record: RequestRecord = inner ? inner.begin(req, res) : { gateway: null, api: null, clientIp: undefined, error: undefined };
      if (!log.active) return record;
      const started = performance.now();
      res.once('close', () => {
        try {
          log.record({ req, res, record, durationMs: performance.now() - started });
        } catch (err) {
          onError(err);
        }
      });
      return record;
    },
  };
}
